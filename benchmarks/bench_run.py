"""Time `cnbudget run` on the reference document against the floor of any notebook pipeline.

Floor = papermill executing an empty notebook + nbconvert of it + Chromium printing a blank page,
measured in the same run on the same machine. Prints the ratio and the split by stage.
"""

import sys
import tempfile
import time
from pathlib import Path

import nbformat

from cnbudget.report.pipeline import print_pdf, render_html, run_notebook, run_pipeline
from cnbudget.resources import find_project

DEFAULT_SOURCE = find_project(Path(__file__).parent).reference_document


def floor(work: Path) -> dict:
    empty = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    empty.cells[0].metadata["tags"] = ["parameters"]
    empty.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = work / "empty.ipynb"
    nbformat.write(empty, path)
    t = {}
    t0 = time.perf_counter()
    run_notebook(str(path), work, {"x": 2})
    t["papermill"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    render_html(work / "notebooks" / "empty.ipynb", work / "blank.html", "blank")
    t["nbconvert"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    print_pdf(work / "blank.html", work / "blank.pdf")
    t["pdf"] = time.perf_counter() - t0
    return t


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="cnbudget-bench-") as tmp:
        work = Path(tmp)
        base = floor(work)
        t0 = time.perf_counter()
        result = run_pipeline(DEFAULT_SOURCE, work / "run", force=True)
        full = time.perf_counter() - t0
        t0 = time.perf_counter()
        run_pipeline(DEFAULT_SOURCE, work / "run")
        cached = time.perf_counter() - t0
    floor_total = sum(base.values())
    print(f"floor (empty notebook): {floor_total:.2f}s = " + ", ".join(f"{k} {v:.2f}s" for k, v in base.items()))
    print(
        f"cnbudget run (reference): {full:.2f}s = " + ", ".join(f"{k} {v:.2f}s" for k, v in result["timings"].items())
    )
    print(f"ratio full / floor: {full / floor_total:.2f}x (target <= 3x)")
    print(f"rerun with unchanged inputs: {cached:.2f}s ({cached / full:.2f} of a full run)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
