"""A department no one has seen: generated budgets printed to PDF by Chromium, read back.

The expected values come from the generator (tests/synthetic_jiangsu.py), never from a real
document, so these tests show the reader and the checks are not tuned to the six shared PDFs.
"""

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from synthetic_jiangsu import (
    SUMMARY_CLASSES,
    WRONG_PROJECT_DELTA,
    WRONG_TOTAL_CHANGE_DELTA,
    cn,
    draw,
    html,
    rotate_pages,
)

from cnbudget.batch.compare import compare
from cnbudget.checks.run import compute_rows
from cnbudget.read.pdf_page import read_page
from cnbudget.report.pipeline import print_pdf
from cnbudget.tables.extract import extract
from cnbudget.textnorm import norm

# name -> (seed, the two heading styles drawn from, how the pages are turned)
VARIANTS = {
    "labels": (7, ("label", "ordinal"), None),
    "labels-11": (11, ("label", "ordinal"), None),
    # tables labelled 公开表五 or not at all, on landscape pages with /Rotate 90
    "cn-ordinals-unlabelled-rotated": (7, ("cn_label", "bare"), "declared"),
    # the same pages lying sideways with no /Rotate: only the text's direction says how to read them
    "unlabelled-sideways": (11, ("bare", "cn_label"), "undeclared"),
}
VARIANT_NAMES = list(VARIANTS)


def _print(tmp: Path, name: str, page: str) -> Path:
    source = tmp / f"{name}.html"
    source.write_text(page, encoding="utf-8")
    return print_pdf(source, tmp / f"{name}.pdf")


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    """variant name -> (the generated department, its extraction), each made when first asked for,
    so that a variant the reader cannot read fails its own tests only."""
    tmp = tmp_path_factory.mktemp("synthetic")
    made = {}

    def get(name):
        if name not in made:
            seed, styles, turn = VARIANTS[name]
            d = draw(seed)
            pdf = _print(tmp, name, html(d, seed, styles=styles))
            if turn:
                pdf, upright = tmp / f"{name}-turned.pdf", pdf
                rotate_pages(upright, pdf, declare=turn == "declared")
            made[name] = (d, extract(pdf))
        return made[name]

    return get


@pytest.mark.parametrize("variant", [n for n, v in VARIANTS.items() if v[2]])
def test_turned_pages_are_read_upright(documents, variant):
    """The turned variants really lie sideways, and each page is read in its reading orientation."""
    _, ex = documents(variant)
    pdf = pdfium.PdfDocument(ex.source.path)
    try:
        for number, page in enumerate(pdf, start=1):
            left, bottom, right, top = page.get_mediabox()
            assert right - left > top - bottom  # a landscape sheet …
            assert read_page(page, number).rotation == 90  # … read turned a quarter clockwise
    finally:
        pdf.close()


def _holds(row) -> bool:
    if row.kind == "data_quality":
        return row.holds
    return row.left is not None and row.right is not None and abs(row.difference) <= row.allowance


@pytest.mark.parametrize("variant", VARIANT_NAMES)
def test_all_tables_found_by_title(documents, variant):
    _, ex = documents(variant)
    assert ex.layout.name == "jiangsu-2019" and ex.missing == []


@pytest.mark.parametrize("variant", VARIANT_NAMES)
def test_summary_table_as_printed(documents, variant):
    d, ex = documents(variant)
    frame = ex.frame("01")
    side = lambda s: [(norm(r.item), r.amount) for r in frame[frame["side"] == s].itertuples()]  # noqa: E731
    classes = {d.names[c]: d.class_total(c) for c in d.classes}
    T = d.total
    assert side("income") == [
        ("一、财政拨款", d.appropriation), ("1.一般公共预算", d.appropriation), ("2.政府性基金预算", None),
        ("二、财政专户管理资金", None), ("三、其他资金", d.other_funds or None), ("当年收入小计", T),
        ("上年结转资金", None), ("收入合计", T),
    ]  # fmt: skip
    functions = [(f"{cn(i)}、{n}", classes.get(n)) for i, n in enumerate(SUMMARY_CLASSES, start=1)]
    assert side("function") == functions + [("当年支出小计", T), ("结转下年资金", None), ("支出合计", T)]
    assert side("use") == [("一、基本支出", d.basic), ("二、项目支出", d.project), ("三、单位预留机动经费", d.reserve)]


@pytest.mark.parametrize("variant", VARIANT_NAMES)
def test_long_tables_across_pages(documents, variant):
    d, ex = documents(variant)
    t05 = ex.frame("05")
    items = [
        (r.function_code, r.amount)
        for r in t05.itertuples()
        if isinstance(r.function_code, str) and len(r.function_code) == 7
    ]
    assert items == list(d.function_items())
    t12 = ex.frame("12")
    assert [r.amount for r in t12.itertuples() if r.level == "item"] == [row[5] for row in d.procurement]


@pytest.mark.parametrize("variant", VARIANT_NAMES)
def test_every_relation_holds_and_the_planted_error_is_found(documents, variant):
    d, ex = documents(variant)
    rows, _ = compute_rows(ex)
    failing = [r for r in rows if not _holds(r)]
    assert [(r.kind, r.left, r.right) for r in failing] == [("narrative", d.project + WRONG_PROJECT_DELTA, d.project)]
    assert len([r for r in rows if r.kind != "data_quality"]) > 100


@pytest.mark.parametrize("variant", VARIANT_NAMES)
def test_the_planted_error_is_shown_on_its_pages_with_both_figures_outlined(documents, variant, tmp_path):
    """The failing check's evidence: a crop of each page where its figures are printed, and what each
    outline encloses, read back from the page (turned upright as the reader reads it), is the figure:
    the narrative's misstated project spending and the table's."""
    from cnbudget.checks.evidence import add_evidence
    from cnbudget.checks.records import FAIL
    from cnbudget.money import parse_amount

    d, ex = documents(variant)
    rows, _ = compute_rows(ex)
    failing = [r for r in rows if not _holds(r)]
    for row in rows:
        row.status = FAIL if row in failing else "pass"
    assert add_evidence(rows, ex, tmp_path) >= 2
    (row,) = failing
    pdf = pdfium.PdfDocument(ex.source.path)
    seen = []
    try:
        for item in row.evidence:
            assert (tmp_path / item["image"]).stat().st_size > 500
            page = read_page(pdf[item["page"] - 1], item["page"])
            for x0, top, x1, bottom in item["marks"]:
                inside = [c for c in page.chars if x0 - 1 <= c.cx <= x1 + 1 and top - 1 <= c.cy <= bottom + 1]
                seen.append(parse_amount("".join(c.text for c in sorted(inside, key=lambda c: c.x0)))[1])
    finally:
        pdf.close()
    assert d.project + WRONG_PROJECT_DELTA in seen and d.project in seen


def test_year_over_year_on_generated_years(tmp_path):
    before, now = draw(21, year=2019), draw(22, year=2020)
    prev = extract(_print(tmp_path, "y2019", html(before, 21)))
    cur = extract(_print(tmp_path, "y2020", html(now, 22, previous=before)))
    result = compare(prev, cur)
    by_label = {(norm(c["description"]).split("“")[1].split("”")[0], c["unit"]): c for c in result["checks"]}
    basic = [c for (label, unit), c in by_label.items() if label.startswith("基本支出") and unit == "万元"]
    assert basic and basic[0]["holds"] and basic[0]["right"] == now.basic - before.basic
    total = [c for c in result["checks"] if c["unit"] == "万元" and c["current"] == now.total]
    assert total and not total[0]["holds"]
    assert abs(total[0]["left"] - total[0]["right"]) == WRONG_TOTAL_CHANGE_DELTA
    percents = [c for c in result["checks"] if c["unit"] == "%"]
    assert percents and all(c["holds"] for c in percents)
    headline = result["headline"].set_index("name")
    assert headline.loc["total", "change"] == now.total - before.total


@pytest.fixture(scope="module")
def unruled(tmp_path_factory):
    """One generated department printed with all rules, as three-line tables, and with no rules."""
    tmp = tmp_path_factory.mktemp("unruled")
    d = draw(7)
    return {rules: extract(_print(tmp, rules, html(d, 7, rules=rules))) for rules in ("ruled", "three-line", "none")}


def _printed(ex, table: str) -> list[str]:
    cells = ex.amounts[(ex.amounts["table"] == table) & (ex.amounts["raw"] != "")]
    return sorted(cells["raw"])


@pytest.mark.parametrize("rules", ["three-line", "none"])
def test_tables_without_vertical_rules_are_read_by_alignment(unruled, rules):
    """Without ruling lines the columns come from how the text aligns. Every table read that way
    has the cells of the same table printed with rules; a table whose columns the alignment cannot
    tell apart (a column blank in every row, two header words too close) is reported, not guessed."""
    ruled, ex = unruled["ruled"], unruled[rules]
    assert ruled.missing == []
    read = sorted({ex.frame_tables[name] for name in ex.frames})
    assert len(read) >= 8, read  # most of the 12 tables are read
    for table in read:
        assert _printed(ex, table) == _printed(ruled, table), f"表{table}"
    reported = {s.id for s in ex.missing}
    assert reported == {t.id for t in ruled.layout.tables} - set(read)
    unparsed = {a.table for a in ex.anomalies if a.kind == "unparsed_table"}
    assert unparsed <= reported  # each table not read says why when it was found
