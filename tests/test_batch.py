"""Many documents: panel dataset, year-over-year comparison, `cnbudget batch`."""

import copy
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from paths import DATA_RAW, raw

from cnbudget.batch.compare import compare, consecutive_pairs
from cnbudget.batch.run import find_documents, run_batch
from cnbudget.tables.extract import extract
from cnbudget.tables.panel import long_frame, write_panel


@pytest.fixture(scope="module")
def court():
    return {year: extract(raw(f"jiangsu/{year}/high-court")) for year in (2018, 2019)}


def _total(ex) -> Decimal:
    frame = ex.frame("01")
    return frame[(frame["side"] == "income") & (frame["item_key"] == "收入合计")]["amount"].iloc[0]


def test_find_documents_groups_registered_files_by_folder():
    docs = find_documents(DATA_RAW)
    keys = [d.key for d in docs]
    assert "beijing/2024/dongcheng-urban-management-command-center" in keys
    assert sum(k.startswith("jiangsu/") for k in keys) == 6
    assert all(d.meta.get("sha256") for d in docs)
    # a disclosure published as two files (Beijing from 2026: 附件1 情况说明, 附件2 报表) is one folder
    pairs = {d.key: sorted(p.name for p in d.files) for d in docs if len(d.files) > 1}
    assert all(files == ["narrative.pdf", "tables.pdf"] for files in pairs.values())
    assert all(k.startswith("beijing/2026/") for k in pairs)


def test_consecutive_pairs():
    docs = [
        {"region": "jiangsu", "department": "A", "year": 2017},
        {"region": "jiangsu", "department": "A", "year": 2019},
        {"region": "jiangsu", "department": "A", "year": 2018},
        {"region": "jiangsu", "department": "B", "year": 2019},
        {"region": "other", "department": "A", "year": 2018},
    ]
    pairs = [(p["year"], c["year"], c["department"]) for p, c in consecutive_pairs(docs)]
    assert pairs == [(2017, 2018, "A"), (2018, 2019, "A")]


def test_panel_holds_every_amount_cell(court):
    ex = court[2019]
    panel = long_frame(ex, "jiangsu/2019/high-court")
    values = ex.amounts[ex.amounts["status"] == "value"]
    assert len(panel) == len(values)
    assert sum(panel["amount_wanyuan"]) == sum(values["amount_wanyuan"])
    assert set(panel["table"]) == set(values["table"])
    assert (panel[["region", "department", "year"]].drop_duplicates().values.tolist()) == [
        ["jiangsu", "江苏省高级人民法院", 2019]
    ]


def test_panel_files_round_trip(court, tmp_path):
    parts = [long_frame(ex, f"jiangsu/{year}/high-court") for year, ex in court.items()]
    info = write_panel(parts, tmp_path)
    back = pd.read_parquet(tmp_path / "panel.parquet")
    assert len(back) == info["rows"] == sum(len(p) for p in parts)
    assert sorted(back["year"].unique().tolist()) == [2018, 2019]
    total = back[(back["year"] == 2019) & (back["table"] == "01") & (back["item"] == "收入合计")]["amount_wanyuan"]
    assert [Decimal(str(v)) for v in total] == [_total(court[2019])]
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["path"] for r in package["resources"]] == ["panel.parquet", "panel.csv"]


def test_year_over_year_recomputes_stated_changes(court):
    result = compare(court[2018], court[2019])
    assert result["checks"], "the 2019 narrative states changes against 2018"
    total_change = _total(court[2019]) - _total(court[2018])
    on_total = [c for c in result["checks"] if c["unit"] == "万元" and c["current"] == _total(court[2019])]
    assert on_total and all(c["right"] == total_change for c in on_total)
    headline = result["headline"].set_index("name")
    assert headline.loc["total", "change"] == total_change


def test_year_over_year_catches_a_changed_previous_year(court):
    """Add 1 万元 to the 2018 total: every check of a stated change of the total now fails."""
    before = compare(court[2018], court[2019])
    changed = copy.deepcopy(court[2018])
    frame = changed.frames["income_expenditure_summary"]
    mask = (frame["side"] == "income") & (frame["item_key"] == "收入合计")
    frame.loc[mask, "amount"] = frame.loc[mask, "amount"].map(lambda v: v + 1)
    after = compare(changed, court[2019])
    was = {c["id"]: c["holds"] for c in before["checks"]}
    now = {c["id"]: c["holds"] for c in after["checks"]}
    flipped = [k for k in was if was[k] and not now[k]]
    assert flipped, "a wrong previous-year total must make a stated change disagree"


@pytest.mark.slow
def test_batch_keeps_going_past_a_broken_document(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # folders given relative to the working directory, as `make batch` does
    folder = tmp_path / "raw"
    for year in (2018, 2019):
        target = folder / "jiangsu" / str(year) / "high-court"
        target.mkdir(parents=True)
        for name in ("budget.pdf", "budget.pdf.meta.json"):
            shutil.copyfile(raw(f"jiangsu/{year}/high-court", name), target / name)
    broken = folder / "jiangsu" / "2019" / "broken"
    broken.mkdir(parents=True)
    data = raw("jiangsu/2019/procuratorate").read_bytes()[:5000]
    (broken / "budget.pdf").write_bytes(data)
    from cnbudget.sources import sha256_of

    (broken / "budget.pdf.meta.json").write_text(
        json.dumps({"department": "broken", "year": 2019, "region": "jiangsu", "sha256": sha256_of(data)}),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    summary = run_batch(Path("raw"), Path("out"), jobs=2, pdf=False)
    assert (summary["documents"], summary["ok"], summary["failed"]) == (3, 2, 1)
    batch = json.loads((out / "batch.json").read_text(encoding="utf-8"))
    failed = [r for r in batch["results"] if r["status"] == "failed"]
    assert failed[0]["key"] == "jiangsu/2019/broken" and "not a readable PDF" in failed[0]["error"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "not a readable PDF" in index and 'href="jiangsu/2019/high-court/report.html"' in index
    assert (out / "jiangsu" / "2018" / "high-court" / "report.html").exists()
    panel = pd.read_parquet(out / "panel" / "panel.parquet")
    assert sorted(panel["document"].unique()) == ["jiangsu/2018/high-court", "jiangsu/2019/high-court"]
    assert (
        batch["comparisons"][0]["status"] == "ok"
        and (out / "compare" / "jiangsu-high-court-2018-2019" / "compare.html").exists()
    )


def test_batch_on_a_folder_without_registered_documents(tmp_path, capsys):
    from cnbudget.cli import main

    (tmp_path / "loose.pdf").write_bytes(b"%PDF-1.4\n")  # no sidecar: not registered
    assert main(["batch", str(tmp_path), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err.strip() == (
        f"cnbudget: error: {tmp_path}: no registered documents (a registered document has a sidecar <file>.meta.json);"
        " see README, 'Adding a document'"
    )
    assert main(["batch", str(tmp_path / "missing")]) == 2
    assert capsys.readouterr().err.strip() == f"cnbudget: error: {tmp_path / 'missing'}: no such folder"


def test_wanli_budgets_are_one_series_compared_year_by_year():
    """The three Wanli budgets (2023-2025) pair up as one department's series, and each stated change
    is checked against the tables of the year before, or left unchecked when it compares with the
    earlier year's execution (预算执行数), which no budget table holds."""
    wanli = [d for d in find_documents(DATA_RAW) if d.key.endswith("putuo-wanli-subdistrict")]
    if len(wanli) < 3:
        pytest.skip("the Wanli budgets are not fetched: run `make data`")
    pairs = consecutive_pairs([d.meta for d in wanli])
    assert [(p["year"], c["year"]) for p, c in pairs] == [(2023, 2024), (2024, 2025)]
    by_year = {d.meta["year"]: extract(raw(d.key)) for d in wanli}
    for earlier, later in ((2023, 2024), (2024, 2025)):
        result = compare(by_year[earlier], by_year[later])
        assert result["checks"], "no stated change checked"
        for check in result["checks"]:
            assert check["previous"] is not None and check["current"] is not None
        execution = [u for u in result["unchecked"] if "执行" in u["sentence"]]
        assert all("执行" in u["reason"] for u in execution)
    changes = compare(by_year[2023], by_year[2024])["headline"].set_index("name")
    total = {y: _summary_total(by_year[y]) for y in (2023, 2024)}
    assert changes.loc["total", "change"] == total[2024] - total[2023]


def _summary_total(ex) -> Decimal:
    frame = ex.frame("01")
    income = frame[frame["side"] == "income"]
    return income[income["item_key"] == "收入总计"]["amount"].iloc[0] / 10000  # 元 -> 万元
