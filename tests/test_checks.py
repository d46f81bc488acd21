"""Checks: tolerance policy at its edges, suites load whole, findings on the reference, mutants caught."""

import json
import random
import re
from decimal import Decimal

import pytest

from cnbudget.checks.figures import Figure
from cnbudget.checks.gx import DOCUMENT_KINDS, KINDS, load_suite, suite_path, validate
from cnbudget.checks.records import Ref
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
