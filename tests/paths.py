"""Paths of the repository the tests run in (the package itself never assumes one), and the
registered documents they need: fetched by `make data`, or the test is skipped, naming it."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA_RAW = REPO / "data" / "raw"
DATA_REFERENCES = REPO / "data" / "references"  # layout references (a blank template), not disclosures
REFERENCE = DATA_RAW / "beijing" / "2024" / "dongcheng-urban-management-command-center" / "budget.txt"


def fetched(path: Path) -> Path:
    """A registered document's path; skip (naming it) when it has not been fetched."""
    if not path.exists():
        pytest.skip(f"{path.relative_to(REPO)} is not fetched: run `make data` (cnbudget fetch) to materialise it")
    return path


def raw(key: str, name: str = "budget.pdf") -> Path:
    """``data/raw/<key>/<name>``, fetched."""
    return fetched(DATA_RAW / key / name)
