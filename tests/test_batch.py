"""Many documents: panel dataset, year-over-year comparison, `cnbudget batch`."""

import copy
import json
import re
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
    assert set(panel["table_id"]) == set(values["table"])
    assert (panel[["region", "department", "year"]].drop_duplicates().values.tolist()) == [
        ["jiangsu", "江苏省高级人民法院", 2019]
    ]


def test_panel_files_round_trip(court, tmp_path):
    parts = [long_frame(ex, f"jiangsu/{year}/high-court") for year, ex in court.items()]
    info = write_panel(parts, tmp_path)
    back = pd.read_parquet(tmp_path / "parquet")  # the hive-partitioned dataset, read whole
    back["year"] = back["year"].astype(int)
    assert len(back) == info["rows"] == sum(len(p) for p in parts)
    assert sorted(back["year"].unique().tolist()) == [2018, 2019]
    total = back[(back["year"] == 2019) & (back["table_id"] == "01") & (back["item"] == "收入合计")]["amount_wanyuan"]
    assert [Decimal(str(v)) for v in total] == [_total(court[2019])]
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["path"] for r in package["resources"]] == ["panel.csv"]
    assert package["cnbudget"]["parquet_dataset"]["keys"] == ["region", "year"]
    assert sorted(p.name for p in (tmp_path / "parquet" / "region=jiangsu").iterdir()) == ["year=2018", "year=2019"]
    one = pd.read_parquet(tmp_path / "parquet" / "region=jiangsu" / "year=2019")  # one partition alone
    assert len(one) == len(parts[1]) and "year" not in one.columns


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
    panel = pd.read_parquet(out / "panel" / "parquet")
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


def _registered_copies(folder: Path, keys: list[str]) -> Path:
    for key in keys:
        target = folder / key
        target.mkdir(parents=True)
        for source in (DATA_RAW / key).iterdir():
            if source.name.endswith(".meta.json") or (DATA_RAW / key / (source.name + ".meta.json")).exists():
                shutil.copyfile(source, target / source.name)
    return folder


BATCH_KEYS = [
    "jiangsu/2018/high-court",
    "jiangsu/2019/high-court",
    "beijing/2024/dongcheng-urban-management-command-center",
]


@pytest.fixture(scope="module")
def no_report_batch(tmp_path_factory):
    for key in BATCH_KEYS:
        raw(key, "budget.pdf" if key.startswith("jiangsu") else "budget.txt")
    root = _registered_copies(tmp_path_factory.mktemp("raw"), BATCH_KEYS)
    out = tmp_path_factory.mktemp("batch")
    summary = run_batch(root, out, jobs=2, report=False)
    return root, out, summary


def _without_time(checks: dict) -> dict:
    return {k: v for k, v in checks.items() if k != "generated"}


@pytest.mark.slow
def test_no_report_batch_writes_tables_checks_panel_and_index_without_notebooks(no_report_batch, tmp_path):
    from cnbudget.cli import main

    root, out, summary = no_report_batch
    assert (summary["documents"], summary["ok"]) == (3, 3) and summary["report"] is False
    for key in BATCH_KEYS:
        folder = out / key
        assert (folder / "checks.json").exists() and (folder / "data" / "datapackage.json").exists()
        assert not (folder / "notebooks").exists() and not (folder / "report.html").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "report.html" not in index and 'href="jiangsu/2019/high-court/checks.json"' in index
    compared = json.loads((out / "batch.json").read_text(encoding="utf-8"))["comparisons"]
    assert [c["status"] for c in compared] == ["ok"] and (
        out / "compare" / compared[0]["key"] / "compare.json"
    ).exists()
    # checks.json is the one `cnbudget check` writes for the same document (Data Docs are HTML: not built)
    for key in BATCH_KEYS:
        files = sorted(str(f) for f in (root / key).iterdir() if not f.name.endswith(".meta.json"))
        assert main(["check", *files, "--out", str(tmp_path / key), "--no-data-docs"]) == 0
        ours = json.loads((out / key / "checks.json").read_text(encoding="utf-8"))
        theirs = json.loads((tmp_path / key / "checks.json").read_text(encoding="utf-8"))
        assert _without_time(ours) == _without_time(theirs)


@pytest.mark.slow
def test_run_reuses_the_batch_stages(no_report_batch, capsys):
    from cnbudget.report.pipeline import run_pipeline

    root, out, _ = no_report_batch
    key = "jiangsu/2019/high-court"
    before = (out / key / "checks.json").read_bytes()
    run_pipeline(root / key / "budget.pdf", out / key, pdf=False)
    err = capsys.readouterr().err
    assert "[1/5] extract: inputs, parameters and outputs unchanged" in err
    assert "[2/5] checks: inputs, parameters and outputs unchanged" in err and "report: running" in err
    assert (out / key / "checks.json").read_bytes() == before and (out / key / "report.html").exists()


@pytest.mark.slow
def test_dask_batch_gives_the_same_panel_and_index(no_report_batch, tmp_path):
    pytest.importorskip("dask.distributed")
    root, out, _ = no_report_batch
    summary = run_batch(root, tmp_path / "dask", jobs=2, report=False, scheduler="local")
    assert summary["ok"] == 3 and summary["scheduler"] == "local"
    columns = ["document", "table_id", "frame", "line", "column_name", "amount"]
    ours, theirs = (
        pd.read_parquet(folder / "panel" / "parquet").sort_values(columns).reset_index(drop=True)
        for folder in (out, tmp_path / "dask")
    )
    pd.testing.assert_frame_equal(ours, theirs)
    strip = lambda html: re.sub(r"\d+\.\d+s|\d{4}-\d\d-\d\d \d\d:\d\d", "", html)  # noqa: E731 - times differ
    assert strip((out / "index.html").read_text(encoding="utf-8")) == strip(
        (tmp_path / "dask" / "index.html").read_text(encoding="utf-8")
    )
    for key in BATCH_KEYS:
        a, b = (json.loads((f / key / "checks.json").read_text(encoding="utf-8")) for f in (out, tmp_path / "dask"))
        assert _without_time(a) == _without_time(b)


def test_progress_says_done_failed_rate_and_time_left():
    import time

    from cnbudget.batch.run import _progress

    line = _progress(5, 1, 20, time.perf_counter() - 60)
    assert line.startswith("[######..................] 5/20 done, 1 failed, 5.0/min, about 3:00 left")
    assert "time left unknown" in _progress(0, 0, 20, time.perf_counter())
