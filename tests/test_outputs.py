"""Data products read without cnbudget: typed tables of the layout's schema, a valid data package,
the panel in SQL."""

import json
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from paths import DATA_RAW, REFERENCE, REPO

from cnbudget.batch.run import find_documents
from cnbudget.tables.extract import extract
from cnbudget.tables.outputs import write_outputs
from cnbudget.tables.schema import declared


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """Every fetched registered document's tables, written: layout -> [folder]."""
    by_layout = defaultdict(list)
    for doc in find_documents(DATA_RAW):
        if not all(f.exists() for f in doc.files):
            continue
        ex = extract(doc.files if len(doc.files) > 1 else doc.files[0])
        folder = tmp_path_factory.mktemp(doc.key.replace("/", "-"))
        write_outputs(ex, folder)
        by_layout[ex.layout.name].append(folder)
    if not by_layout:
        pytest.skip("no registered document is fetched: run `make data`")
    return by_layout


def test_every_document_writes_its_layouts_schema(written):
    """Exactly the declared columns, in order, with the same Arrow types in every document."""
    for layout, folders in written.items():
        frames = declared(layout)
        assert frames, f"layout {layout} has no schema.toml"
        for folder in folders:
            for name, columns in frames.items():
                files = [p for p in folder.glob("t*.parquet") if re.fullmatch(rf"t\d\d_{name}\.parquet", p.name)]
                for path in files:
                    assert pq.read_schema(path).names == columns, (layout, folder.name, name)


def test_the_same_table_of_two_documents_concatenates(written):
    tested = 0
    for layout, folders in written.items():
        if len(folders) < 2:
            continue
        tables = defaultdict(list)
        for folder in folders:
            for path in folder.glob("t*.parquet"):
                tables[path.name].append(path)
        for name, paths in tables.items():
            if len(paths) < 2:
                continue
            arrow = [pq.read_table(p) for p in paths]
            assert len({t.schema for t in arrow}) == 1, (layout, name)
            joined = pa.concat_tables(arrow)  # strict: the same schema, no promotion
            frames = [pd.read_parquet(p) for p in paths]
            assert len(pd.concat(frames)) == joined.num_rows
            tested += 1
    if not any(len(folders) > 1 for folders in written.values()):
        pytest.skip("no two documents of one layout are fetched: run `make data`")
    assert tested >= 10, "too few tables printed by two documents of one layout"


def test_codes_stay_text_and_amounts_exact(written):
    folder = next(f for f in written["beijing-2024"])
    frame = pd.read_parquet(folder / "t02_income_summary.parquet")
    assert frame["unit_code"].dropna().str.fullmatch(r"\d{3,6}").all()
    assert any(c.startswith("0") for c in frame["unit_code"].dropna())
    assert pq.read_schema(folder / "t02_income_summary.parquet").field("total").type == pa.decimal128(24, 8)
    raw_bom = (folder / "t02_income_summary.csv").read_bytes()
    assert raw_bom.startswith(b"\xef\xbb\xbf")
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert all(not Path(s["path"]).is_absolute() for s in package["sources"])
    assert package["licenses"] and all(r["path"] == Path(r["path"]).name for r in package["resources"])
    total = next(f for r in package["resources"] if r["name"] == "t02-income-summary-csv" for f in r["schema"]["fields"]
                 if f["name"] == "total")  # fmt: skip
    assert total["type"] == "number" and total["unit"] == "万元" and total["printedDecimals"] == 2


def test_frictionless_validates_the_data_package(written):
    frictionless = shutil.which("frictionless", path=str(Path(REPO, ".venv", "bin"))) or shutil.which("frictionless")
    if frictionless is None:
        pytest.skip("frictionless is not installed (pip install -e '.[dev]')")
    for layout in ("beijing-2024", "jiangsu-2019"):
        if layout not in written:
            pytest.skip(f"no document of layout {layout} is fetched: run `make data`")
        folder = written[layout][0]
        done = subprocess.run([frictionless, "validate", str(folder / "datapackage.json")], capture_output=True,
                              text=True, check=False)  # fmt: skip
        assert done.returncode == 0, done.stdout[-3000:]


def test_the_readmes_duckdb_example_runs_on_a_panel(court_batch):
    duckdb = pytest.importorskip("duckdb")
    root, batch = court_batch
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    sql = re.search(r"```sql\n(.*?)```", readme, re.S).group(1)
    sql = sql.replace("reports/batch/", f"{batch}/")
    rows = duckdb.sql(sql).fetchall()
    assert [(r[1]) for r in rows] == [2018, 2019]
    frame = extract(root / "jiangsu/2019/high-court/budget.pdf").frame("01")
    total = frame[(frame["side"] == "income") & (frame["item_key"] == "收入合计")]["amount"].iloc[0]
    assert rows[1][2] == total


@pytest.fixture(scope="module")
def reference_run(tmp_path_factory):
    from cnbudget.report.pipeline import run_pipeline

    out = tmp_path_factory.mktemp("run")
    run_pipeline(REFERENCE, out, pdf=False, quiet=True)
    return out


@pytest.mark.slow
def test_charts_workbook_and_findings_to_take_away(reference_run):
    from openpyxl import load_workbook

    charts = reference_run / "charts"
    png, svg = sorted(charts.glob("*.png")), sorted(charts.glob("*.svg"))
    assert png and [p.stem for p in png] == [p.stem for p in svg]
    html = (reference_run / "report.html").read_text(encoding="utf-8")
    assert html.count('<figure class="chart">') == len(png)
    book = load_workbook(reference_run / "tables.xlsx", read_only=True)
    ex = extract(REFERENCE)
    assert len(book.sheetnames) == len(ex.frames) + 1 and book.sheetnames[-1] == "findings"
    checks = json.loads((reference_run / "checks.json").read_text(encoding="utf-8"))["checks"]
    findings = list(book["findings"].iter_rows(values_only=True))
    assert len(findings) - 1 == sum(c["status"] == "fail" for c in checks)


@pytest.mark.slow
def test_data_docs_show_their_results_offline(reference_run, tmp_path):
    """Printed by Chromium with no network (a proxy to nowhere): the failing rows, their ids and
    their figures in 万元 are on the page, and the page loads nothing remote."""
    import pypdfium2 as pdfium

    from cnbudget.report.pipeline import print_pdf

    checks = json.loads((reference_run / "checks.json").read_text(encoding="utf-8"))
    pages = sorted((reference_run / "gx").rglob("validations/**/*cross_table*.html"))
    assert pages and (reference_run / checks["data_docs"]).is_file()
    html = pages[-1].read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img)\b[^>]*(src|href)=\"https?://", html)
    pdf = pdfium.PdfDocument(print_pdf(pages[-1], tmp_path / "docs.pdf"))
    text = re.sub(r"\s+", "", "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf))))
    failing = [c for c in checks["checks"] if c["status"] == "fail" and c["kind"] == "cross_table"]
    assert failing and all(c["id"].split("/")[0] in text for c in failing)
    assert "万元" in text and "figures" in text
