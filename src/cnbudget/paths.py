"""Every project path derives from one root."""

from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_ROOT.parents[1]
DATA_RAW = PROJECT_ROOT / "data" / "raw"
DATA_PROCESSED = PROJECT_ROOT / "data" / "processed"
EXPECTATIONS = PROJECT_ROOT / "expectations"
NOTEBOOKS = PROJECT_ROOT / "notebooks"
REPORTS = PROJECT_ROOT / "reports"
LAYOUTS = PACKAGE_ROOT / "layouts"
DEFAULT_SOURCE = DATA_RAW / "beijing" / "2024" / "dongcheng-urban-management-command-center" / "budget.txt"
