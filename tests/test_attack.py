"""Bad input, attack and concurrency: every failure is a report or a one-line error.

Each test reproduces one case of the audit (issue 13) as it was found, and asserts what a user now
sees. Full pipeline runs are marked slow."""

import http.server
import json
import os
import shutil
import threading
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from paths import REFERENCE, raw

from cnbudget.cli import main
from cnbudget.errors import SourceError
from cnbudget.report import pipeline
from cnbudget.report.pipeline import print_pdf, run_pipeline
from cnbudget.sources import load_source, sha256_of
from cnbudget.tables.extract import extract, extraction_warnings
from cnbudget.workspace import locked


def _one_line_error(err: str) -> str:
    lines = [line for line in err.strip().splitlines() if line.startswith("cnbudget:")]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def _register(path: Path, **meta) -> Path:
    path.with_name(path.name + ".meta.json").write_text(
        json.dumps({"sha256": sha256_of(path.read_bytes()), **meta}, ensure_ascii=False), encoding="utf-8"
    )
    return path


def _without_tables(text: str, ids: list[str]) -> str:
    """The reference text with the given tables cut out (from their label to the next table's)."""
    for table_id in ids:
        start = text.index(f"预算{table_id}表")
        following = [text.find(f"预算{int(table_id) + k:02d}表", start + 1) for k in range(1, 14)]
        end = min((f for f in following if f > 0), default=len(text))
        text = text[:start] + text[end:]
    return text


# --- partial documents are reported, not crashed on ------------------------------------------


@pytest.mark.slow
def test_partial_document_with_hostile_title_gets_a_full_report(tmp_path, capsys):
    """Tables 08 and 13 missing (cross-table checks need them) and a sidecar title that closes the
    <title> and opens a script and an iframe on a local file: the run ends with an HTML and PDF
    report naming the missing tables at the top; the title is text, nothing runs, nothing is read."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    doc = tmp_path / "src" / "budget.txt"
    doc.parent.mkdir()
    doc.write_text(_without_tables(REFERENCE.read_text(encoding="utf-8"), ["08", "13"]), encoding="utf-8")
    hostile = f'</title><script>document.title="PWNED"</script><iframe src="{secret.as_uri()}"></iframe>'
    _register(doc, title=hostile, year=2024)
    out = tmp_path / "out"
    assert main(["run", str(doc), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "warning: 2 of 14 tables missing from the document: 表08" in err  # run says it on screen
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "<iframe" not in html
    assert "&lt;/title&gt;&lt;script&gt;" in html.split("</title>")[0]
    banner = html[html.index('class="banner"') :][:600]
    assert "表08" in banner and "表13" in banner
    checks = json.loads((out / "checks.json").read_text(encoding="utf-8"))["checks"]
    unread = [c for c in checks if c["status"] == "not_evaluated"]
    assert unread and all(c.get("severity") in (None, "") for c in unread)
    text = pdfium.PdfDocument(out / "report.pdf")
    printed = "".join(text[i].get_textpage().get_text_range() for i in range(len(text)))
    assert "TOP-SECRET-CONTENT" not in printed  # the iframe is text, the file is not read
    assert 'document.title="PWNED"' in printed.replace("\r\n", "").replace("\n", "")  # the title printed as text


def test_jiangsu_pdf_without_pages_10_to_12_names_what_is_missing(tmp_path):
    pdf = pdfium.PdfDocument(raw("jiangsu/2019/high-court"))
    for index in (11, 10, 9):  # pages 10-12
        pdf.del_page(index)
    cut = tmp_path / "cut.pdf"
    pdf.save(cut)
    ex = extract(cut)
    assert ex.missing, "removing three pages of tables must leave tables missing"
    warning = extraction_warnings(ex)[0]
    for spec in ex.missing:
        assert f"表{spec.id} {spec.title_zh}" in warning
    from cnbudget.checks.run import run_checks

    checks = run_checks(cut, tmp_path / "checks", data_docs=False, extraction=ex)["checks"]
    missing = {s.id for s in ex.missing}
    for c in checks:
        if c["status"] == "fail" and c["kind"] != "structure":  # no failure rests on a table not there
            assert not missing & set(c.get("tables", [])), c["id"]
    assert {c["id"] for c in checks if c["kind"] == "structure"} >= {f"structure-missing/{t}" for t in missing}


def test_repeated_document_warns(tmp_path):
    doc = tmp_path / "twice.txt"
    text = REFERENCE.read_text(encoding="utf-8")
    doc.write_text(text + "\n" + text, encoding="utf-8")
    warnings = extraction_warnings(extract(doc))
    assert any("printed again after their first copy" in w for w in warnings), warnings


# --- Chromium prints what the page is, nothing more -----------------------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body{color:red}")

    def log_message(self, *args):
        pass


@pytest.mark.slow
def test_chromium_runs_no_script_and_fetches_nothing(tmp_path):
    if shutil.which("chromium") is None:
        pytest.skip("Debian's chromium is not installed (make system)")
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    _Recorder.hits.clear()
    from cnbudget.report.templates import Markup, render, stylesheet

    body = Markup(
        f'<link rel="stylesheet" href="{base}/style.css"><img src="{base}/pixel.png">'
        f"<p id='x'>static text</p><script>document.getElementById('x').textContent='SCRIPT-RAN';"
        f"fetch('{base}/from-script')</script>"
    )
    html = tmp_path / "page.html"
    html.write_text(render("page.html.j2", lang="en", title="t", css=stylesheet(), extra_css="", body=body))
    pdf = print_pdf(html, tmp_path / "page.pdf")
    server.shutdown()
    doc = pdfium.PdfDocument(pdf)
    printed = doc[0].get_textpage().get_text_range()
    assert "static text" in printed and "SCRIPT-RAN" not in printed
    assert _Recorder.hits == []


def test_chromium_time_out_is_one_line(tmp_path, monkeypatch):
    slow = tmp_path / "chromium"
    slow.write_text("#!/bin/sh\nsleep 30\n")
    slow.chmod(0o755)
    monkeypatch.setattr(pipeline, "chromium", lambda: str(slow))
    monkeypatch.setattr(pipeline, "PRINT_TIMEOUT", 1)
    html = tmp_path / "r.html"
    html.write_text("<p>x</p>")
    with pytest.raises(pipeline.CnbudgetError, match=r"Chromium did not print .* within 1 s"):
        print_pdf(html, tmp_path / "r.pdf")
    assert not (tmp_path / "r.pdf").exists()


# --- one way in for a source ----------------------------------------------------------------


def test_symlink_to_an_altered_copy_is_refused_before_anything_is_written(tmp_path, capsys):
    folder = tmp_path / "raw"
    folder.mkdir()
    doc = _register(Path(shutil.copyfile(REFERENCE, folder / "budget.txt")))
    link = tmp_path / "link.txt"
    link.symlink_to(doc)
    doc.write_bytes(doc.read_bytes().replace(b"5,306.52", b"5,306.53", 1))
    out = tmp_path / "out"
    assert main(["extract", str(link), "--out", str(out)]) == 2
    assert "sha256 mismatch" in _one_line_error(capsys.readouterr().err)
    assert not any(out.glob("*.csv"))


def test_sidecar_without_sha256_and_utf16_text(tmp_path):
    doc = tmp_path / "b.txt"
    shutil.copyfile(REFERENCE, doc)
    side = doc.with_name("b.txt.meta.json")
    side.write_text('{"title": "x"}', encoding="utf-8")
    with pytest.raises(SourceError, match="sha256: Field required") as err:
        load_source(doc)
    assert "None" not in str(err.value)
    side.unlink()
    for encoding, bom in (("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")):
        doc.write_bytes(bom + REFERENCE.read_text(encoding="utf-8").encode(encoding))
        assert load_source(doc).text == load_source(REFERENCE).text


def test_two_disclosures_are_not_merged(tmp_path, capsys):
    jiangsu = raw("jiangsu/2019/high-court")
    assert main(["extract", str(REFERENCE), str(jiangsu), "--out", str(tmp_path / "o")]) == 2
    line = _one_line_error(capsys.readouterr().err)
    assert "not one disclosure" in line and "year" in line


# --- output folders ---------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["file", "under_a_file", "unwritable", "inside_raw"])
def test_bad_out_folder_is_one_line_before_any_work(tmp_path, capsys, case):
    if case == "unwritable" and os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    locked_dir = tmp_path / "ro"
    locked_dir.mkdir(mode=0o500)
    folder = tmp_path / "raw"
    folder.mkdir()
    doc = _register(Path(shutil.copyfile(REFERENCE, folder / "budget.txt")))
    out = {
        "file": blocker,
        "under_a_file": blocker / "out",
        "unwritable": locked_dir / "out",
        "inside_raw": folder / "out",
    }[case]
    for command in ("extract", "check", "run"):
        assert main([command, str(doc), "--out", str(out)]) == 2
        line = _one_line_error(capsys.readouterr().err)
        assert str(out) in line or str(folder) in line
    assert not (folder / "out").exists()


def test_second_run_into_the_same_folder_stops_at_once(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    with locked(out):
        assert main(["extract", str(REFERENCE), "--out", str(out)]) == 2
        line = _one_line_error(capsys.readouterr().err)
        assert "being written by another cnbudget run" in line
    assert main(["extract", str(REFERENCE), "--out", str(out)]) == 0  # released


# --- a cache you can trust --------------------------------------------------------------------


def test_fingerprint_covers_suites_reference_data_and_dependency_versions(monkeypatch):
    names = [name for name, _ in pipeline._files(pipeline.packaged())]
    assert any(n.startswith("checks/expectations/") and n.endswith(".json") for n in names)
    assert any(n.endswith(".csv") for n in names)  # reference code lists
    assert any(n.startswith("report/notebooks/") for n in names)
    before = pipeline.code_fingerprint()
    versions = pipeline.dependency_versions()
    monkeypatch.setattr(pipeline, "dependency_versions", lambda: {**versions, "great-expectations": "0.0.1"})
    assert pipeline.code_fingerprint() != before


@pytest.mark.slow
def test_stages_rerun_when_outputs_are_missing_damaged_or_interrupted(tmp_path, capsys):
    out = tmp_path / "out"
    run_pipeline(REFERENCE, out, pdf=False)
    capsys.readouterr()
    # the extracted tables deleted: extraction runs again and writes them
    tables = sorted((out / "data").glob("*.csv"))
    for table in tables:
        table.unlink()
    run_pipeline(REFERENCE, out, pdf=False)
    err = capsys.readouterr().err
    assert "extract: running" in err and all(t.exists() for t in tables)
    # a damaged output (checks.json cut short): its stage runs again, the others are reused
    written = out / "checks.json"
    written.write_text(written.read_text(encoding="utf-8")[:500], encoding="utf-8")
    run_pipeline(REFERENCE, out, pdf=False)
    err = capsys.readouterr().err
    assert "checks: running" in err and "extract: inputs" in err and "report: inputs" in err
    # a damaged executed report notebook (the report stage's output)
    executed = out / "notebooks" / "03_report.ipynb"
    executed.write_text(executed.read_text(encoding="utf-8")[:500], encoding="utf-8")
    run_pipeline(REFERENCE, out, pdf=False)
    assert "report: running" in capsys.readouterr().err
    # an interrupted stage (its entry was removed when it started) is never reused
    state = json.loads((out / ".cnbudget-run.json").read_text(encoding="utf-8"))
    state.pop("report")
    (out / ".cnbudget-run.json").write_text(json.dumps(state), encoding="utf-8")
    run_pipeline(REFERENCE, out, pdf=False)
    assert "report: running" in capsys.readouterr().err


def test_reextracting_removes_stale_tables_but_keeps_other_files(tmp_path):
    out = tmp_path / "o"
    assert main(["extract", str(REFERENCE), "--out", str(out)]) == 0
    mine = out / "my-notes.txt"
    mine.write_text("keep me")
    assert (out / "t14_performance_overall.csv").exists() or any(out.glob("t14*.csv"))
    short = tmp_path / "short.txt"
    short.write_text(_without_tables(REFERENCE.read_text(encoding="utf-8"), ["14"]), encoding="utf-8")
    assert main(["extract", str(short), "--out", str(out)]) == 0
    assert not any(out.glob("t14*")) and mine.read_text() == "keep me"


# --- batch ------------------------------------------------------------------------------------


def test_batch_records_a_broken_sidecar_and_goes_on(tmp_path, capsys):
    root = tmp_path / "raw"
    good = root / "good"
    bad = root / "bad"
    good.mkdir(parents=True)
    bad.mkdir()
    _register(Path(shutil.copyfile(REFERENCE, good / "budget.txt")), year=2024, department="甲")
    shutil.copyfile(REFERENCE, bad / "budget.txt")
    (bad / "budget.txt.meta.json").write_text("[]")
    out = tmp_path / "out"
    assert main(["batch", str(root), "--out", str(out), "--no-pdf", "--no-compare", "--jobs", "1"]) == 1
    written = json.loads((out / "batch.json").read_text(encoding="utf-8"))
    status = {d["key"]: d["status"] for d in written["results"]}
    assert status == {"good": "ok", "bad": "failed"}
    failed = next(d for d in written["results"] if d["key"] == "bad")
    assert "must be a JSON object, found list" in failed["error"]
    summary = written["summary"]
    assert summary["wall_seconds"] >= summary["documents_wall_seconds"] > 0


def test_malformed_chinese_numerals_are_not_labels():
    """Found by the fuzz test: a changed byte turned 公开表二 into 公开表二一, which crashed."""
    from cnbudget.read.pdf_headings import ORDINAL, label_number

    assert label_number("公开表二一收支总表") is None and label_number("公开表十二")[1] == "12"
    assert label_number("公开表二十一")[1] == "21" and ORDINAL.match("二一、收入") is None
    assert ORDINAL.match("十一、收入").group(1) == "十一"
