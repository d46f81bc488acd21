"""CLI exit codes, and the notebooks executed through papermill into a report."""

import json
import re
from pathlib import Path

import nbformat
import pytest
from paths import REPO

from cnbudget.cli import main
from cnbudget.errors import CnbudgetError
from cnbudget.report.pipeline import run_notebook, run_pipeline


def test_check_exit_codes(tmp_path, reference, capsys):
    assert main(["check", str(reference), "--out", str(tmp_path), "--no-data-docs"]) == 0
    out = capsys.readouterr().out
    assert re.match(r"\d+ relations checked: \d+ hold, \d+ disagree", out)
    result = json.loads((tmp_path / "checks.json").read_text(encoding="utf-8"))
    material = [c for c in result["checks"] if c["status"] == "fail" and c["severity"] == "material"]
    assert out.count("MATERIAL") == len(material)
    assert main(["check", str(reference), "--out", str(tmp_path), "--no-data-docs", "--strict"]) == (
        1 if material else 0
    )


def test_broken_notebook_fails_cleanly(tmp_path):
    broken = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("source = 'x'"),
            nbformat.v4.new_code_cell("raise ValueError('deliberately broken')"),
        ]
    )
    broken.cells[0].metadata["tags"] = ["parameters"]
    broken.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "broken.ipynb"
    nbformat.write(broken, path)
    with pytest.raises(
        CnbudgetError, match=r"notebook .*broken.ipynb failed in cell \d+: ValueError: deliberately broken"
    ):
        run_notebook(str(path), tmp_path / "out", {"source": "y"})


@pytest.mark.slow
def test_run_renders_report_with_every_finding(tmp_path, reference, capsys):
    out = tmp_path / "report"
    result = run_pipeline(reference, out, lang="zh")
    executed = nbformat.read(str(out / "notebooks" / "02_checks.ipynb"), as_version=4)
    injected = next(c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert f'source = "{reference.resolve()}"' in injected.source
    assert f'out_dir = "{out.resolve()}"' in injected.source and 'lang = "zh"' in injected.source
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<script src" not in html and "https://" not in html.split("<body>")[0]
    findings = html[html.index("id='findings'") if "id='findings'" in html else html.index('id="findings"') :]
    findings = findings[: findings.index("</section>")]
    checks = json.loads((out / "checks.json").read_text(encoding="utf-8"))
    failed = [c for c in checks["checks"] if c["status"] == "fail"]
    assert failed
    for c in failed:
        assert f'data-check-id="{c["id"]}"' in findings.replace("&quot;", '"')
    assert "def " not in html and "import " not in html  # no code cells
    assert result["pdf"].stat().st_size > 10_000
    # a rerun with unchanged inputs reuses every stage and says so
    capsys.readouterr()
    run_pipeline(reference, out, lang="zh")
    err = capsys.readouterr().err
    assert err.count("reusing") == 5


def test_readme_documents_commands_and_parameters():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for command in (
        "cnbudget fetch",
        "cnbudget extract",
        "cnbudget check",
        "cnbudget run",
        "cnbudget batch",
        "--strict",
        "--lang",
        "--layout",
        "--force",
        "--no-pdf",
        "--jobs",
        "--no-compare",
        "jiangsu-2019",
    ):
        assert command in readme, command
    for notebook in ("03_report.ipynb", "04_compare.ipynb"):
        params = nbformat.read(str(REPO / "notebooks" / notebook), as_version=4).cells[1].source
        for name in re.findall(r"^(\w+) =", params, flags=re.M):
            assert f"`{name}`" in readme, (notebook, name)
    assert Path(REPO / ".ci" / "run").read_text().count("make test") == 1


def test_results_on_stdout_progress_on_stderr_and_quiet_verbose(tmp_path, capsys, reference):
    assert main(["extract", str(reference), "--out", str(tmp_path / "a")]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("wrote ") and "warning: " in err  # the reference has a malformed cell
    assert main(["-q", "extract", str(reference), "--out", str(tmp_path / "a")]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("wrote ") and all(line.startswith("warning:") for line in err.splitlines())
    assert main(["extract", str(reference), "--out", str(tmp_path / "b"), "-q"]) == 0  # after the command too
    assert all(line.startswith("warning:") for line in capsys.readouterr().err.splitlines())
    assert main(["extract", "--out", str(tmp_path / "missing"), str(tmp_path / "nothing.txt"), "-q"]) == 2
    assert capsys.readouterr().err.startswith("cnbudget: error:")  # errors are shown even with -q
