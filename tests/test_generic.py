"""The generic reader (--layout generic): tables read as printed, and the checks that hold in any
budget table. Small documents written here show what each check computes, that it fails on a
planted error, and that it is not written where the print leaves its meaning in doubt; the
registered documents show it reads every table and raises no alarm the layouts do not."""

from decimal import Decimal

import pytest
from paths import DATA_RAW, fetched

from cnbudget.batch.run import find_documents
from cnbudget.checks.run import compute_rows, run_checks
from cnbudget.tables.extract import extract

HEAD = "# 2030年测试单位部门预算\n"
SUMMARY = """预算01表 2030年测试单位收支总表
金额单位：万元
收入\t金额\t支出\t金额
一、财政拨款\t{income}\t一、一般公共服务支出\t100.00
二、其他收入\t\t二、教育支出\t
收入总计\t{income}\t支出总计\t100.00
"""
FUNCTIONS = """预算02表 2030年测试单位支出表
金额单位：{unit}
科目编码\t科目名称\t合计\t基本支出\t项目支出
合计\t\t{total}\t{basic}\t{project}
201\t一般公共服务支出\t{total}\t{basic}\t{project}
20101\t人大事务\t{total}\t{basic}\t{project}
2010101\t行政运行\t{a}\t{basic}\t{dash}
2010102\t一般行政管理事务\t{b}\t\t{b}
"""
ECONOMIC_BY_FUNCTION = """预算03表 2030年测试单位基本支出表
金额单位：万元
功能科目编码\t经济科目编码\t金额
2010101\t30101\t30.00
2010101\t302\t99.00
"""


def _write(tmp_path, text: str, name: str = "budget.txt"):
    path = tmp_path / name
    path.write_text(HEAD + text, encoding="utf-8")
    return path


def _functions(**overrides) -> str:
    values = {
        "unit": "万元",
        "total": "100.00",
        "basic": "60.00",
        "project": "40.00",
        "a": "60.00",
        "b": "40.00",
        "dash": "",
    }
    return FUNCTIONS.format(**{**values, **overrides})


def _failing(rows) -> list[str]:
    return sorted(
        r.relation
        for r in rows
        if r.numeric and r.evaluable and abs(r.difference) > r.allowance or (not r.numeric and r.holds is False)
    )


def test_tables_are_read_as_printed(tmp_path):
    ex = extract(_write(tmp_path, SUMMARY.format(income="100.00") + _functions()), layout_name="generic")
    assert ex.layout.name == "generic" and [t.title_zh for t in ex.layout.tables] == [
        "2030年测试单位收支总表",
        "2030年测试单位支出表",
    ]
    spec = ex.layout.table("02")
    assert [(c.kind, c.label) for c in spec.columns] == [
        ("code", "科目编码"),
        ("label", "科目名称"),
        ("amount", "合计"),
        ("amount", "基本支出"),
        ("amount", "项目支出"),
    ]
    frame = ex.frame("02")
    coded = frame[frame["function_code"].notna()]
    assert coded["function_code"].tolist() == ["201", "20101", "2010101", "2010102"]
    assert coded["function_name"].tolist() == ["一般公共服务支出", "人大事务", "行政运行", "一般行政管理事务"]
    assert frame.loc[frame["row_type"] == "total", "amount_3"].tolist() == [Decimal("100.00")]


def test_every_check_holds_on_a_consistent_document(tmp_path):
    ex = extract(_write(tmp_path, SUMMARY.format(income="100.00") + _functions()), layout_name="generic")
    rows, _ = compute_rows(ex)
    relations = {r.relation for r in rows if r.numeric}
    assert "01-balance" in relations  # 收入总计 = 支出总计
    assert "02-total" in relations  # 合计 = Σ类
    assert {"02-function-3-5/amount_3", "02-function-5-7/amount_3"} <= relations  # 类 = Σ款, 款 = Σ项
    assert _failing(rows) == []


@pytest.mark.parametrize(
    ("text", "failing"),
    [
        # 收入总计 printed as 101.00 against 支出总计 100.00
        (SUMMARY.format(income="101.00") + _functions(), ["01-balance"]),
        # a 项 misprinted in its 合计 and 项目支出 cells: 款 20101 no longer the sum of its 项 in either column
        (
            SUMMARY.format(income="100.00") + _functions(b="41.00"),
            ["02-function-5-7/amount_3", "02-function-5-7/amount_5"],
        ),
    ],
)
def test_a_planted_error_fails_its_check(tmp_path, text, failing):
    ex = extract(_write(tmp_path, text), layout_name="generic")
    rows, _ = compute_rows(ex)
    assert _failing(rows) == failing


def test_a_wrong_total_fails_against_the_top_level_rows(tmp_path):
    text = _functions().replace("合计\t\t100.00", "合计\t\t100.10")
    ex = extract(_write(tmp_path, text), layout_name="generic")
    rows, _ = compute_rows(ex)
    failing = [r for r in rows if r.relation == "01-total" and abs(r.difference) > r.allowance]
    assert [(r.left, r.right) for r in failing] == [(Decimal("100.10"), Decimal("100.00"))]


def test_yuan_without_decimals_negative_amounts_and_dashes_keep_their_meaning(tmp_path):
    text = _functions(unit="元", total="1000", basic="1200", project="-200", a="1200", b="-200", dash="-")
    ex = extract(_write(tmp_path, text), layout_name="generic")
    cells = ex.amounts
    assert ex.units["01"] == "元"  # tables are numbered in the order they are printed
    negative = cells[cells["raw"] == "-200"]
    assert set(negative["status"]) == {"value"} and set(negative["amount"]) == {Decimal(-200)}
    assert set(negative["amount_wanyuan"]) == {Decimal("-0.0200")}
    dash = cells[cells["raw"] == "-"]
    assert dash["status"].tolist() == ["nil"] and dash["amount"].isna().all()  # nothing printed, not a bad cell
    assert not [a for a in ex.anomalies if a.kind == "invalid_amount"]
    rows, _ = compute_rows(ex)
    assert _failing(rows) == []  # 1000 = 1200 + (-200) in every relation, to the yuan


def test_two_classifications_cross_and_are_not_summed(tmp_path):
    """A table that prints function and economic codes side by side is no tree: the reader writes no
    hierarchy or total check for it (302 against its 30101 would be nonsense)."""
    ex = extract(_write(tmp_path, _functions() + ECONOMIC_BY_FUNCTION), layout_name="generic")
    assert {c.code for c in ex.layout.table("02").columns if c.kind == "code"} == {"function", "economic"}
    assert not [r for r in ex.layout.relations.relation if r.id.startswith("02-")]


def test_a_column_of_words_is_never_an_amount(tmp_path):
    text = _functions().replace("科目名称\t合计", "科目名称\t合计\t备注").replace("\t40.00\n", "\t40.00\t见说明\n")
    ex = extract(_write(tmp_path, text), layout_name="generic")
    assert [c.kind for c in ex.layout.table("01").columns][-1] == "label"
    assert not [a for a in ex.anomalies if a.kind == "invalid_amount"]


def _registered():
    return [tuple(d.files) for d in find_documents(DATA_RAW)] if DATA_RAW.is_dir() else []


@pytest.mark.parametrize("path", _registered(), ids=lambda files: str(files[0].parent.relative_to(DATA_RAW)))
def test_generic_reads_every_table_and_raises_no_alarm_the_layout_does_not(path, tmp_path):
    path = [fetched(p) for p in path]
    generic = extract(path, layout_name="generic")
    assert len(generic.layout.tables) == len(generic.document.sections)
    read = {generic.frame_tables[name] for name in generic.frames}
    assert read == {t.id for t in generic.layout.tables}  # every printed table read (empty ones too)
    by_layout = run_checks(path, tmp_path / "layout", data_docs=False)
    by_generic = run_checks(path, tmp_path / "generic", layout_name="generic", data_docs=False)
    if by_layout["summary"]["material"] == 0:
        assert by_generic["summary"]["material"] == 0, [
            c["description"] for c in by_generic["checks"] if c["severity"] == "material"
        ]
