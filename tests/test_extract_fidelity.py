"""Fidelity on the real document: an independent, simple reading of the source lines against our output."""

import re
from collections import defaultdict
from decimal import Decimal

import pytest

TABLE_START = re.compile(r"预算(\d{2})表")
NUMBER = re.compile(r"^-?\d{1,3}(,\d{3})*\.\d+$|^-?\d+\.\d+$")


def independent_reading(path) -> dict[str, list[tuple[int, Decimal]]]:
    """Every printed decimal number in each table's tab-separated lines (table 13: project rows once)."""
    cells = defaultdict(list)
    table, seen_projects = None, set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        plain = re.sub(r"</?b>", "", line)
        if m := TABLE_START.match(plain.strip("#* ")):
            table = m.group(1)
            continue
        if "情况说明" in plain and "\t" not in plain:  # the narrative follows the last table
            table = None
        if table is None or "\t" not in plain:
            continue
        parts = [p.strip() for p in plain.split("\t")]
        if table == "13":
            if len(parts) > 1 and re.match(r"^\d{6,}[A-Z]\d+-", parts[1]):
                if parts[1] in seen_projects:
                    continue
                seen_projects.add(parts[1])
                cells[table] += [(number, Decimal(p)) for p in parts[5:8] if NUMBER.match(p)]
            continue
        if table == "14":
            nonempty = [p for p in parts if p]
            if (
                nonempty
                and nonempty[-1] == "万元"
                and NUMBER.match(nonempty[-2].replace(",", "") + ("" if "." in nonempty[-2] else ".0"))
            ):
                cells[table].append((number, Decimal(nonempty[-2])))
            elif sum(bool(NUMBER.match(p)) for p in parts) >= 2:
                cells[table] += [(number, Decimal(p.replace(",", ""))) for p in parts if NUMBER.match(p)]
            continue
        cells[table] += [(number, Decimal(p.replace(",", ""))) for p in parts if NUMBER.match(p)]
    return cells


@pytest.mark.parametrize("table", [f"{i:02d}" for i in range(1, 15)])
def test_every_amount_cell_once(table, reference, ref_extraction):
    expected = independent_reading(reference)[table]
    ours = ref_extraction.amounts
    ours = ours[(ours["table"] == table) & (ours["status"] == "value")]
    values = [(int(r.line), r.amount) for r in ours.itertuples()]
    # cells holding a number where the layout expects a code are kept raw and flagged, not dropped
    flagged = [
        (a.line, Decimal(a.raw)) for a in ref_extraction.anomalies if a.table == table and a.kind == "wrong_type"
    ]
    got = sorted(values + flagged)
    assert len(got) == len(sorted(expected)), f"table {table}: {len(got)} amount cells, source has {len(expected)}"
    assert sum(v for _, v in got) == sum(v for _, v in expected)
    assert got == sorted(expected)


def test_code_names_round_trip(ref_extraction):
    checked = 0
    for frame in ref_extraction.frames.values():
        for col in [c[:-4] for c in frame.columns if c.endswith("_raw")]:
            for code, nm, raw in zip(frame[f"{col}_code"], frame[f"{col}_name"], frame[f"{col}_raw"], strict=True):
                if isinstance(code, str):
                    assert f"{code}-{nm}" == raw.replace(" ", "") or f"{code}-{nm}" == raw
                    checked += 1
    assert checked > 100


def test_function_levels(ref_extraction):
    t03 = ref_extraction.frame("03")
    detail = t03[t03["row_type"] == "detail"]
    for r in detail.itertuples():
        assert r.function_class_code == r.function_code[:3]
        assert r.function_category_code == r.function_code[:5]
        assert r.function_item_code == r.function_code


def test_units_stated_and_normalised(ref_extraction):
    amounts = ref_extraction.amounts
    yuan = amounts[amounts["unit"] == "元"]
    assert set(yuan["table"]) == {"11"}
    for r in yuan[yuan["status"] == "value"].itertuples():
        assert r.amount_wanyuan * 10000 == r.amount


def test_blank_cells_stay_distinct_from_missing_columns(ref_extraction):
    amounts = ref_extraction.amounts
    blanks = amounts[amounts["status"] == "blank"]
    assert len(blanks) and (blanks["raw"] == "").all() and blanks["amount"].isna().all()
    funds = ref_extraction.frame("14", "funds")
    assert set(funds["status"]) >= {"value", "blank", "missing_column"}


def test_every_anomaly_has_its_source_line(reference, ref_extraction):
    lines = reference.read_text(encoding="utf-8").splitlines()
    assert ref_extraction.anomalies
    for a in ref_extraction.anomalies:
        assert 1 <= a.line <= len(lines)
        if a.raw and a.kind != "repeated_row":
            assert a.raw in lines[a.line - 1].replace("<b>", "").replace("</b>", "")


def test_project_table_repeats_kept_once(reference, ref_extraction):
    projects = ref_extraction.frame("13", "projects")
    codes_in_source = re.findall(r"\t(\d{6,}[A-Z]\d+)-", reference.read_text(encoding="utf-8"))
    assert len(projects) == len(set(codes_in_source))
    assert projects["project_code"].is_unique
    repeated = [a for a in ref_extraction.anomalies if a.kind == "repeated_row"]
    assert len(repeated) == len(codes_in_source) - len(set(codes_in_source))


def test_original_text_kept_beside_normalised(ref_extraction):
    t04 = ref_extraction.frame("04")
    mixed = t04[t04["economic_raw"].str.contains(r"\(", regex=True, na=False)]
    assert len(mixed)
    for r in mixed.itertuples():
        assert "(" in r.economic_name and r.economic_key == r.economic_name.replace("（", "(").replace("）", ")")


def test_narrative_figures_have_sentence_and_unit(ref_extraction):
    figures = ref_extraction.narrative
    assert len(figures) > 20
    for r in figures.itertuples():
        assert r.value_raw.replace(",", "") in r.sentence.replace(" ", "").replace(",", "") or r.value_raw in r.sentence
        assert r.unit and r.kind in {"amount", "percent", "count", "change"}


def test_narrative_labels_name_the_item_not_the_heading():
    """A heading numbered 二、 is a heading, not part of the sentence under it; an item named before a
    colon ("住房公积金(项):支出…") or by a numbered heading inside the paragraph ("（一）因公出国（境）
    费用。2026年预算数…") is what the figure measures."""
    from cnbudget.tables.narrative import extract_figures

    lines = [
        "二、收入预算情况说明",
        "本年收入预算合计 21,955.35万元，其中：",
        "其他资金 14.39万元，占 0.06%；",
        "四、财政拨款“三公”经费预算情况说明",
        "2026年财政拨款“三公”经费预算17.70万元。其中：",
        "（一）因公出国（境）费用。2026年预算数14.85万元，",
        "主要用于学习交流。",
        "（三）住房保障支出（类）",
        "其中:1.住房公积金(项):支出1,073.77万元。",
        "检察（款）:2018年预算支出合计16,444.36万元。",
    ]
    figures = extract_figures(list(enumerate(lines, start=1)), year=2026)
    labels = dict(zip(figures["value_raw"], figures["label"], strict=True))
    assert labels["21,955.35"] == "本年收入预算合计" and figures.iloc[0]["section"] == "二、收入预算情况说明"
    assert labels["14.39"] == "其他资金"
    assert labels["14.85"] == "因公出国（境）费用"
    assert labels["1,073.77"].endswith("住房公积金(项)支出")
    assert labels["16,444.36"] == "检察（款）预算支出合计"
