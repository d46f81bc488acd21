"""The wheel works anywhere: built, installed into a fresh virtual environment, and run on a copy
of the reference document from a folder outside the repository; nothing is written inside it."""

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from paths import REFERENCE, REPO


def _repo_state() -> set[str]:
    """Every path git sees in the repository, tracked, untracked or ignored (caches aside)."""
    out = subprocess.run(
        ["git", "status", "--porcelain", "--ignored", "--untracked-files=all"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {
        line
        for line in out.splitlines()
        if not any(part in line for part in ("__pycache__", ".pytest_cache", ".ruff_cache"))
    }


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work / "dist"), str(REPO)], check=True
    )
    wheel = next((work / "dist").glob("cnbudget-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for shipped in (
        "cnbudget/report/notebooks/03_report.ipynb",
        "cnbudget/checks/expectations/within_table.json",
        "cnbudget/layouts/beijing-2024/tables.toml",
        "cnbudget/tables/reference/function_classes.csv",
        "cnbudget/report/style.css",
        "cnbudget/report/templates/page.html.j2",
    ):
        assert shipped in names, shipped
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=True)
    subprocess.run([env_dir / "bin" / "pip", "install", "-q", str(wheel)], check=True)
    return env_dir / "bin" / "cnbudget"


@pytest.mark.slow
def test_wheel_runs_from_any_folder_and_writes_only_under_out(installed, tmp_path):
    before = _repo_state()
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    doc = folder / "budget.txt"
    shutil.copyfile(REFERENCE, doc)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}

    def run(*args):
        return subprocess.run([str(installed), *args], cwd=folder, capture_output=True, text=True, env=env, timeout=600)

    check = run("check", "budget.txt", "--no-data-docs")
    assert check.returncode == 0, check.stderr
    assert (folder / "out" / "budget" / "checks.json").exists()  # default --out outside a repository
    report = run("run", "budget.txt", "--out", str(tmp_path / "report"), "--no-pdf")
    assert report.returncode == 0, report.stderr
    assert (tmp_path / "report" / "report.html").exists() and (
        tmp_path / "report" / "data" / "datapackage.json"
    ).exists()
    assert "Traceback" not in check.stderr + report.stderr
    assert _repo_state() == before, "the installed package wrote inside the repository"
    no_source = run("run")
    assert no_source.returncode == 2
    assert no_source.stderr.strip() == (
        "cnbudget: error: no SOURCE given; the default document (the reference) exists only inside the cnbudget "
        "repository"
    )
