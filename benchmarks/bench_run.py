"""Time `cnbudget run` on the reference document against the floor of any notebook pipeline.

Floor = papermill executing an empty notebook + nbconvert of it + Chromium printing a blank page.
Each measurement runs in a fresh Python process (imports paid by everyone, as a user's command
pays them), side by side in one run on the same machine:

- floor;
- the report the way of cnbudget 0.2: a kernel per notebook, great-expectations imported in the
  checks kernel (``run_pipeline(overlap=False)``);
- the report as `cnbudget run` makes it: one kernel, great-expectations in a worker started first;
- a rerun with unchanged inputs (every stage reused).

Prints the wall time of each, the split by stage and the ratio to the floor (target <= 3).
"""

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cnbudget.resources import find_project

DEFAULT_SOURCE = find_project(Path(__file__).parent).reference_document

FLOOR = """
import json, sys, time
from pathlib import Path
import nbformat
t0 = time.perf_counter()
from cnbudget.report.pipeline import print_pdf, render_html, run_notebook
work = Path(sys.argv[1])
empty = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
empty.cells[0].metadata["tags"] = ["parameters"]
empty.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
nbformat.write(empty, work / "empty.ipynb")
t = {}
run_notebook(str(work / "empty.ipynb"), work, {"x": 2}); t["papermill"] = time.perf_counter() - t0
t1 = time.perf_counter(); render_html(work / "notebooks" / "empty.ipynb", work / "blank.html", "blank")
t["nbconvert"] = time.perf_counter() - t1
t1 = time.perf_counter(); print_pdf(work / "blank.html", work / "blank.pdf"); t["pdf"] = time.perf_counter() - t1
print(json.dumps(t))
"""

RUN = """
import json, sys
from pathlib import Path
from cnbudget.report.pipeline import run_pipeline
r = run_pipeline(Path(sys.argv[1]), Path(sys.argv[2]), force=sys.argv[3] == "force", quiet=True,
                 overlap=sys.argv[4] == "overlap")
print(json.dumps(r["timings"]))
"""


def timed(code: str, *args: str) -> tuple[float, dict]:
    """Wall time of a fresh Python process running ``code``, and the stage times it prints."""
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if done.returncode != 0:
        sys.exit(f"benchmark step failed: {done.stderr.strip().splitlines()[-1:]}")
    return wall, json.loads(done.stdout.strip().splitlines()[-1])


def split(stages: dict) -> str:
    return ", ".join(f"{k} {v:.2f}s" for k, v in stages.items())


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="cnbudget-bench-") as tmp:
        work = Path(tmp)
        (work / "floor").mkdir()
        floor, floor_stages = timed(FLOOR, str(work / "floor"))
        before, before_stages = timed(RUN, str(DEFAULT_SOURCE), str(work / "before"), "force", "separate")
        after, after_stages = timed(RUN, str(DEFAULT_SOURCE), str(work / "after"), "force", "overlap")
        cached, _ = timed(RUN, str(DEFAULT_SOURCE), str(work / "after"), "reuse", "overlap")
    print(f"floor (empty notebook, fresh process): {floor:.2f}s wall; {split(floor_stages)}")
    print(f"report, a kernel per notebook (0.2): {before:.2f}s wall = {before / floor:.2f}x floor; "
          f"{split(before_stages)}")  # fmt: skip
    print(f"report, one kernel + GX worker (cnbudget run): {after:.2f}s wall; {split(after_stages)}")
    print(f"ratio cnbudget run / floor: {after / floor:.2f}x (target <= 3x); "
          f"{before / after:.2f}x faster than 0.2's way")  # fmt: skip
    print(f"rerun with unchanged inputs: {cached:.2f}s wall ({cached / after:.2f} of a full run)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
