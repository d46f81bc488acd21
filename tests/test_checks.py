"""Checks: tolerance policy at its edges, suites load whole, findings on the reference, mutants caught."""

import json
import random
import re
from decimal import Decimal

import pytest

from cnbudget.checks.figures import Figure
from cnbudget.checks.gx import DOCUMENT_KINDS, KINDS, load_suite, suite_path, validate
from cnbudget.checks.records import Ref, is_material_failure
from cnbudget.checks.relations import instance
from cnbudget.checks.run import compute_rows, judge, reconciliation_frames, run_checks
from cnbudget.tables.extract import extract


def verdict(left: Figure, right: Figure) -> tuple[str, str]:
    row = instance(Ref("t", "cross_table"), "", left, right, "test", "here")
    checks = judge([row], validate(reconciliation_frames([row])))
    return checks[0]["status"], checks[0]["severity"]


def single(value: str, decimals: int = 2) -> Figure:
    return Figure(Decimal(value), 1, [1], "03", decimals)


def summed(value: str, parts: int) -> Figure:
    return Figure(Decimal(value), parts, [1], "03", 2)


def test_single_figures_must_be_equal():
    assert verdict(single("100.00"), single("100.00")) == ("pass", "none")
    assert verdict(single("100.00"), single("100.01")) == ("fail", "material")


def test_finer_figure_rounded_half_up_before_comparing():
    # 0.005 at the edge: 100.005 (6 decimals) rounds half up to 100.01
    assert verdict(single("100.01"), single("100.005000", 6)) == ("pass", "none")
    assert verdict(single("100.00"), single("100.004999", 6)) == ("pass", "none")
    # 100.00 is 100.005 with its digits cut off, not rounded: a rounding difference, shown, not an error
    assert verdict(single("100.00"), single("100.005000", 6)) == ("pass", "rounding")
    # but a figure that is neither the rounded nor the cut value disagrees
    assert verdict(single("100.00"), single("100.015000", 6)) == ("fail", "material")
    assert verdict(single("100.02"), single("100.005000", 6)) == ("fail", "material")


@pytest.mark.parametrize("n", [2, 3, 7])
def test_sum_of_n_parts_within_n_half_units(n):
    half = Decimal("0.005")
    assert verdict(single("10.00"), summed(str(Decimal("10.00") + n * half), n)) == ("pass", "rounding")
    assert verdict(single("10.00"), summed(str(Decimal("10.00") + n * half + Decimal("0.01")), n)) == (
        "fail",
        "material",
    )
    assert verdict(single("10.00"), summed("10.01", n)) == ("pass", "rounding")


@pytest.mark.parametrize("kind", KINDS)
def test_every_stored_expectation_loads(kind):
    stored = json.loads(suite_path(kind).read_text(encoding="utf-8"))
    suite = load_suite(kind)
    assert [e.expectation_type for e in suite.expectations] == [e["type"] for e in stored["expectations"]]
    assert len(suite.expectations) >= 1


def test_unregistered_expectation_is_an_error(tmp_path):
    stored = json.loads(suite_path("cross_table").read_text(encoding="utf-8"))
    stored["expectations"].append({"type": "expect_something_nobody_registered", "kwargs": {}, "meta": {}})
    (tmp_path / "cross_table.json").write_text(json.dumps(stored), encoding="utf-8")
    with pytest.raises(Exception):  # noqa: B017 - GX's own error or ours: never a silent drop
        load_suite("cross_table", tmp_path)


@pytest.fixture(scope="module")
def ref_checks(tmp_path_factory, reference):
    return run_checks(reference, tmp_path_factory.mktemp("checks"), data_docs=False)


def test_checks_json_shape(ref_checks):
    assert set(ref_checks["source"]) >= {"path", "sha256"}
    s = ref_checks["summary"]
    assert s["total"] == len(ref_checks["checks"]) == s["passed"] + s["failed"]
    kinds = {c["kind"] for c in ref_checks["checks"]}
    assert kinds == set(DOCUMENT_KINDS) - {"structure"}  # the reference has every table
    for c in ref_checks["checks"]:
        assert set(c) >= {
            "id",
            "kind",
            "tables",
            "description",
            "left",
            "right",
            "difference",
            "severity",
            "status",
            "location",
        }
        assert c["status"] in ("pass", "fail") and re.search(r"[\u4e00-\u9fff]", c["description"])


def test_verdicts_follow_the_numbers(ref_checks):
    """A check fails exactly when its numbers disagree beyond the allowance (judged by GX)."""
    for c in ref_checks["checks"]:
        if c["difference"] is None:
            continue
        beyond = abs(Decimal(str(c["difference"]))) > Decimal(str(c["allowance"]))
        assert (c["status"] == "fail") == beyond, c
        assert Decimal(str(c["left"])) - Decimal(str(c["right"])) == Decimal(str(c["difference"]))


def test_reference_disagreements_found(ref_checks):
    failed = [c for c in ref_checks["checks"] if c["status"] == "fail"]
    assert {c["kind"] for c in failed} >= {"cross_table", "data_quality"}
    # single items that differ by one cent between two tables while the totals agree
    cents = [c for c in failed if c["difference"] is not None and abs(c["difference"]) == 0.01]
    assert len(cents) >= 2
    totals = [c for c in ref_checks["checks"] if c["relation"] == "basic-total"]
    assert totals and all(c["status"] == "pass" for c in totals)


def _mutants(reference, count=36, seed=20241127):
    """Change one printed amount (chosen at random among all value cells) by one unit of 1.00."""
    ex = extract(reference)
    cells = ex.amounts[ex.amounts["status"] == "value"]
    rng = random.Random(seed)
    picks = rng.sample(range(len(cells)), count)
    return [cells.iloc[i] for i in picks]


def test_mutants_are_caught(tmp_path, reference):
    base_rows, _ = compute_rows(extract(reference))
    base = {c["id"]: c for c in judge(base_rows, validate(reconciliation_frames(base_rows)))}
    lines = reference.read_text(encoding="utf-8").splitlines()
    caught, missed = 0, []
    for cell in _mutants(reference):
        mutated = list(lines)
        raw = cell["raw"]
        new = f"{Decimal(raw.replace(',', '')) + 1:,.{len(raw.split('.')[1]) if '.' in raw else 0}f}"
        line = mutated[cell["line"] - 1]
        cells = line.split("\t")
        idx = next(i for i, c in enumerate(cells) if re.sub(r"</?b>", "", c).strip() == raw)
        cells[idx] = cells[idx].replace(raw, new)
        mutated[cell["line"] - 1] = "\t".join(cells)
        path = tmp_path / "mutant.txt"
        path.write_text("\n".join(mutated) + "\n", encoding="utf-8")
        rows, _ = compute_rows(extract(path))
        after = judge(rows, validate(reconciliation_frames(rows)))
        newly = [
            c
            for c in after
            if c["status"] == "fail" and base.get(c["id"], {}).get("status") == "pass" and cell["table"] in c["tables"]
        ]
        if newly:
            caught += 1
        else:
            missed.append((cell["table"], cell["line"], raw))
    share = caught / (caught + len(missed))
    print(f"mutants caught: {caught}/{caught + len(missed)} = {share:.0%}; missed: {missed}")
    assert not missed, f"mutants not caught: {missed}"


# ---------------------------------------------------------------- tolerance at its edges (issue 12)
def test_six_decimal_figures_are_compared_at_six_decimals():
    """整体绩效目标表 prints 6 decimals in a table whose spec says 2: the printed precision counts."""
    from cnbudget.checks.figures import precision

    exact = Decimal("3682.188361")
    decimals = precision([exact], "万元", 2)
    assert decimals == 6
    assert verdict(single("3682.19"), Figure(exact, 1, [1], "14", decimals)) == ("pass", "none")
    planted = Figure(Decimal("3682.208361"), 1, [1], "14", decimals)  # 0.02 more
    assert verdict(single("3682.19"), planted) == ("fail", "material")


def test_a_figure_is_not_rounded_before_it_is_compared_with_a_sum():
    # 26.405 against 10.28 + 16.14 = 26.42: the difference is 0.015, beyond 2 half units (0.01)
    assert verdict(single("26.405", 3), summed("26.42", 2)) == ("fail", "material")
    assert verdict(single("26.415", 3), summed("26.42", 2)) == ("pass", "rounding")


def test_a_stated_percentage_within_half_a_unit_holds():
    twelve = Figure(Decimal("12"), 1, [1], "说明", 0, "%")
    assert verdict(twelve, Figure(Decimal("12.5"), 1, [1], "03", 12, "%")) == ("pass", "rounding")
    assert verdict(twelve, Figure(Decimal("12.51"), 1, [1], "03", 12, "%")) == ("fail", "material")


def test_a_share_of_rounded_amounts_is_allowed_their_rounding():
    from cnbudget.checks.narrative import share_allowance

    numerator, denominator = Figure(Decimal("0.05"), 1, [1], "03", 2), Figure(Decimal("10.00"), 1, [1], "01", 2)
    allowed = share_allowance(numerator, denominator)
    assert Decimal("0.05") < allowed < Decimal("0.06")  # 100 × (0.005/10 + 0.05 × 0.005/100)
    # "占0.54%" of 0.05 / 10.00 = 0.5%: 0.04 point off, within what the amounts' rounding allows
    row = instance(Ref("t", "narrative"), "", Figure(Decimal("0.54"), 1, [1], "说明", 2, "%"),
                   Figure(Decimal("0.5"), 1, [1], "03", 12, "%"), "test", "here", unit="%")  # fmt: skip
    row.allowance += allowed
    assert judge([row], validate(reconciliation_frames([row])))[0]["status"] == "pass"


def test_a_narrative_amount_is_compared_at_the_precision_it_is_printed_with():
    from cnbudget.checks.narrative import _stated

    stated = _stated({"value": Decimal("1624.3"), "value_raw": "1624.3", "unit": "万元", "kind": "amount",
                      "line": 1, "sentence": "…1624.3万元"})  # fmt: skip
    assert stated.decimals == 1
    assert verdict(stated, single("1624.33")) == ("pass", "none")
    assert verdict(stated, single("1624.36")) == ("pass", "rounding")  # the digits cut off: 1624.3|6
    assert verdict(stated, single("1624.24")) == ("fail", "material")  # neither rounded nor cut


def test_a_printed_zero_counts_as_a_part(tmp_path):
    """合计 3.02 against 1.00 + 2.00 + 0.00 + 0.00: four printed parts allow 0.02."""
    text = (
        "# 2030年测试单位部门预算\n预算01表 2030年测试单位支出表\n金额单位：万元\n科目编码\t科目名称\t合计\n"
        "合计\t\t3.02\n201\t一般公共服务支出\t1.00\n202\t外交支出\t2.00\n203\t国防支出\t0.00\n204\t公共安全支出\t0.00\n"
    )
    (tmp_path / "b.txt").write_text(text, encoding="utf-8")
    ex = extract(tmp_path / "b.txt", layout_name="generic")
    rows, _ = compute_rows(ex)
    total = next(r for r in rows if r.relation == "01-total")
    assert total.right == Decimal("3.00") and total.allowance == Decimal("0.020")


def test_shares_nudged_to_total_100_are_rounding_with_the_reason():
    from cnbudget.checks.narrative import nudged_to_100

    def share(stated: str, exact: str):
        row = instance(Ref("t", "narrative"), "", Figure(Decimal(stated), 1, [1], "说明", 2, "%"),
                       Figure(Decimal(exact), 1, [1], "03", 12, "%"), "test", "here", unit="%")  # fmt: skip
        return row, ("group", "denominator"), 2

    # rounded separately these make 86.05 + 9.56 + 4.40 = 100.01; the narrative printed 86.04 to total 100
    shares = [share("86.04", "86.0450"), share("9.56", "9.5575"), share("4.40", "4.3975")]
    nudged_to_100(shares)
    nudged = [row for row, _, _ in shares if row.detail]
    assert nudged and all("100%" in row.detail[0].zh and "100%" in row.detail[0].en for row in nudged)
    statuses = {judge([row], validate(reconciliation_frames([row])))[0]["severity"] for row, _, _ in shares}
    assert "material" not in statuses


# ---------------------------------------------------------------- structure the document prints (issue 12)
def _mutate_line(reference, tmp_path, needle: str, old: str, new: str):
    lines = reference.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if needle in line)
    assert old in lines[at]
    lines[at] = lines[at].replace(old, new)
    path = tmp_path / "mutant.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows, _ = compute_rows(extract(path))
    return {c["id"]: c for c in judge(rows, validate(reconciliation_frames(rows)))}


def test_activities_are_grouped_as_the_document_groups_them(ref_checks):
    """Each project activity's cost against the projects it covers, 单位运转 against basic spending plus
    the projects no activity covers; the left-over project is named and its amount is the gap."""
    checks = {c["id"]: c for c in ref_checks["checks"] if c["relation"] == "14-activities-vs-projects"}
    assert set(checks) == {"14-activities-vs-projects/projects", "14-activities-vs-projects/operation"}
    operation = checks["14-activities-vs-projects/operation"]
    named = re.search(r"：(.+) (\d+\.\d+)$", operation["detail"][0])
    assert named, operation["detail"]
    basic = next(c for c in ref_checks["checks"] if c["relation"] == "basic-total")
    # the operating activity's cost = basic spending + the named project (within the printed rounding)
    assert abs(Decimal(str(operation["right"])) - Decimal(str(basic["left"])) - Decimal(named.group(2))) < Decimal(
        "0.01"
    )
    assert all(c["status"] == "pass" for c in checks.values())


def test_a_planted_error_in_an_activity_cost_is_material(tmp_path, reference):
    after = _mutate_line(reference, tmp_path, "单位运转\t成本指标经济成本指标", "3691.488361", "3691.508361")
    assert after["14-activities-vs-projects/operation"]["severity"] == "material"


def test_a_malformed_cell_is_the_finding_and_the_gaps_it_causes_are_linked(ref_checks):
    by_id = {c["id"]: c for c in ref_checks["checks"]}
    linked = [c for c in ref_checks["checks"] if c["severity"] == "linked"]
    assert linked
    for c in linked:
        cause = by_id[c["caused_by"]]
        assert cause["kind"] == "data_quality" and cause["status"] == "fail"
        line = re.search(r"原因在表(\w+)第(\d+)行", c["location"])
        assert line and line.group(2) in cause["location"]
        assert c["status"] == "fail" and not is_material_failure(c)
    assert ref_checks["summary"]["linked"] == len(linked)
    assert ref_checks["summary"]["material"] == sum(c["severity"] == "material" for c in ref_checks["checks"])


def _narrative_check(checks: dict, words: str) -> dict:
    return next(c for c in checks.values() if c["kind"] == "narrative" and words in c["description"])


def test_a_term_the_narrative_defines_is_checked_against_its_definition(tmp_path, reference):
    """运行经费 is defined as 公用经费: the stated figure against table 08's 公用经费; a figure that is
    instead the sum of the items the definition lists is a note saying so; any other is material."""
    line = next(t for t in reference.read_text(encoding="utf-8").splitlines() if "运行经费预算" in t)
    stated = re.search(r"运行经费预算([\d,.]+)元", line).group(1)
    ex = extract(reference)
    public = ex.frames["general_budget_basic_expenditure"]
    total = next(v for v, kind in zip(public["public"], public["row_type"], strict=True) if kind == "total")
    as_printed = _narrative_check(_mutate_line(reference, tmp_path, "运行经费预算", stated, stated), "运行经费")
    # the reference states the listed items' sum: a note, with the narrower sum named
    assert as_printed["severity"] == "note" and Decimal(str(as_printed["right"])) == total
    assert Decimal(str(as_printed["left"])) != total and "定义中列举的各项" in as_printed["detail"][0]
    yuan = f"{total * 10000:.2f}"
    agreeing = _mutate_line(reference, tmp_path, "运行经费预算", stated, yuan)
    assert _narrative_check(agreeing, "运行经费")["status"] == "pass"
    wrong = _mutate_line(reference, tmp_path, "运行经费预算", stated, "1000000.00")
    assert _narrative_check(wrong, "运行经费")["severity"] == "material"


def test_one_indicator_with_two_bounds_is_found_and_agreeing_bounds_are_not(tmp_path, reference):
    """表13 gives 督导 two lower bounds (≥220 次, ≥120 次/年): a finding naming both lines; once the
    two agree there is none. An indicator whose own words state another bound is found too."""
    lines = reference.read_text(encoding="utf-8").splitlines()
    conflict = [c for c in _mutate_line(reference, tmp_path, "督导", "督导", "督导").values()
                if c["relation"] == "dq-indicator-bounds" and c["status"] == "fail"]  # fmt: skip
    assert len(conflict) == 1 and "≥220" in conflict[0]["description"] and "≥120" in conflict[0]["description"]
    printed = [str(i + 1) for i, t in enumerate(lines) if "开启联动督导" in t and "\t≥\t" in t]
    assert all(n in conflict[0]["location"] for n in printed)
    agreeing = _mutate_line(reference, tmp_path, "全年不低于120次）\t≥\t120", "\t≥\t120\t", "\t≥\t220\t")
    assert not [c for c in agreeing.values() if c["relation"] == "dq-indicator-bounds" and c["status"] == "fail"]
    # the name says 全年不低于120次 in the unit it is measured in (次/年 is 次 a year): a value of 150 contradicts it
    stated = _mutate_line(reference, tmp_path, "全年不低于120次）\t≥\t120\t次/年", "\t120\t次/年", "\t150\t次")
    assert [c for c in stated.values() if c["relation"] == "dq-indicator-text" and c["status"] == "fail"]


def test_findings_files_hold_every_failing_and_noted_check(ref_checks, tmp_path):
    """findings.csv starts with a UTF-8 BOM (Excel then shows the Chinese) and, like findings.xlsx,
    has one row per failing or noted check with both languages; a text a spreadsheet would run as a
    formula is kept as text."""
    import csv

    from openpyxl import load_workbook

    from cnbudget.checks.findings_files import write_findings

    failing = [c for c in ref_checks["checks"] if c["status"] == "fail"]
    planted = {**failing[0], "id": "planted", "description": '=HYPERLINK("http://x")', "severity": "material"}
    csv_path, xlsx_path = write_findings([*ref_checks["checks"], planted], tmp_path)
    assert csv_path.read_bytes()[:3] == b"\xef\xbb\xbf"
    with csv_path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {r["id"] for r in rows} == {c["id"] for c in failing} | {"planted"}
    assert {r["severity"] for r in rows} >= {"material", "minor", "note", "linked"}
    for row in rows:
        assert row["description"] and row["description_en"] and row["location"]
    assert next(r for r in rows if r["id"] == "planted")["description"].startswith("'=")
    sheet = load_workbook(xlsx_path).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == list(rows[0].keys()) and len(values) == len(rows) + 1
    assert [v[0] for v in values[1:]] == [r["id"] for r in rows]


def test_each_printed_cell_of_a_figure_names_its_own_column(ref_extraction):
    """收支总表 prints 收入总计 and 支出总计 on one line, in two columns: a figure made of both names
    each cell's own column (the evidence picture outlines the cell where it is printed)."""
    from cnbudget.checks.figures import resolve
    from cnbudget.layouts.selectors import Selector

    frame = ref_extraction.frame("01", "")
    both = frame[frame["item"].isin(["收入总计", "支出总计"])]
    assert both["line"].nunique() == 1 and set(both["side"]) == {"income", "expenditure"}
    figure = resolve(ref_extraction, Selector(table="01", item="收入总计|支出总计"))
    line = int(both["line"].iloc[0])
    expected = {(line, f"{side}_amount", amount) for side, amount in zip(both["side"], both["amount"], strict=True)}
    assert set(figure.cells) == expected
    assert figure.value == sum(both["amount"])
