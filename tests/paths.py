"""Paths of the repository the tests run in (the package itself never assumes one)."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA_RAW = REPO / "data" / "raw"
REFERENCE = DATA_RAW / "beijing" / "2024" / "dongcheng-urban-management-command-center" / "budget.txt"
