"""great-expectations on the tidy tables: code formats and row keys from each table's schema."""

import copy

from paths import REFERENCE

from cnbudget.checks.run import run_checks
from cnbudget.checks.table_rules import RELATIONS, table_suites
from cnbudget.tables.extract import extract


def test_every_rule_holds_on_the_reference_and_a_planted_error_is_named(tmp_path, ref_extraction):
    suites, checks = table_suites(ref_extraction)
    assert checks and all(c.relation.startswith(RELATIONS) for c in checks)
    assert any(c.id.startswith("dq-code-format-function_item_code/") for c in checks)
    assert any(c.id.startswith("dq-row-key-line") for c in checks)
    result = run_checks(REFERENCE, tmp_path / "clean", extraction=ref_extraction, data_docs=False)
    ours = [c for c in result["checks"] if c["relation"].startswith(RELATIONS)]
    assert len(ours) == len(checks) and all(c["status"] == "pass" for c in ours)

    planted = copy.deepcopy(extract(REFERENCE))
    name, frame = next((n, f) for n, f in planted.frames.items() if "function_item_code" in f.columns
                       and f["function_item_code"].notna().any())  # fmt: skip
    row = frame.index[frame["function_item_code"].notna()][0]
    frame.loc[row, "function_item_code"] = "20801"  # five digits where an item code has seven
    line = int(frame.loc[row, "line"])
    frame.loc[frame.index[1], "line"] = frame.loc[frame.index[0], "line"]  # two rows on one line
    result = run_checks(REFERENCE, tmp_path / "planted", extraction=planted, data_docs=False)
    failed = {c["id"]: c for c in result["checks"] if c["relation"].startswith(RELATIONS) and c["status"] == "fail"}
    table = planted.frame_tables[name]
    code = failed[f"dq-code-format-function_item_code/t{table}_{name}"]
    assert code["severity"] == "minor" and f"第{line}行" in code["location"]
    assert any(k.startswith("dq-row-key-line") and k.endswith(f"/t{table}_{name}") for k in failed)
    assert "7位数字" in code["description"] and "7 digits" in code["description_en"]
