"""Batch throughput: `cnbudget batch FOLDER --no-report` over the registered documents, and how its
cost grows with the number of documents. Each figure is measured in this one run, on this machine:

- throughput over every registered document under data/raw, with --jobs 1 (the serial baseline)
  and --jobs 2, in documents per minute of wall time (documents, comparisons, panel, index);
- linearity: a folder of N documents and a folder of 10 N (ten copies of the same N, so exactly ten
  times the work), --jobs 2, no comparisons; the ratio of their wall times (target <= 11).
"""

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cnbudget.batch.run import find_documents
from cnbudget.resources import find_project

RAW = find_project(Path(__file__).parent).raw
N = 5  # documents in the small folder of the linearity test


def batch(folder: Path, out: Path, jobs: int, *extra: str) -> float:
    t0 = time.perf_counter()
    cmd = [sys.executable, "-m", "cnbudget.cli", "batch", str(folder), "--out", str(out), "--no-report",
           "--jobs", str(jobs), *extra]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"batch failed: {done.stderr.strip().splitlines()[-1:]}")
    return time.perf_counter() - t0


def copies(documents, folder: Path, times: int) -> Path:
    """``times`` copies of each document, each registered under a key of its own."""
    for k in range(times):
        for doc in documents:
            target = folder / f"{doc.key}-copy{k}"
            target.mkdir(parents=True)
            for f in doc.files:
                shutil.copyfile(f, target / f.name)
                shutil.copyfile(f.with_name(f.name + ".meta.json"), target / (f.name + ".meta.json"))
    return folder


def main() -> int:
    docs = [d for d in find_documents(RAW) if not d.error and all(f.exists() for f in d.files)]
    if len(docs) < 20:
        print(f"only {len(docs)} registered documents are fetched (run `make data`); the throughput target needs 20")
    small = sorted(docs, key=lambda d: sum(f.stat().st_size for f in d.files))[:N]  # the N smallest
    with tempfile.TemporaryDirectory(prefix="cnbudget-bench-batch-") as tmp:
        work = Path(tmp)
        serial = batch(RAW, work / "serial", 1)
        parallel = batch(RAW, work / "parallel", 2)
        one = batch(copies(small, work / "n", 1), work / "out-n", 2, "--no-compare")
        ten = batch(copies(small, work / "10n", 10), work / "out-10n", 2, "--no-compare")
    rate = lambda seconds: len(docs) / seconds * 60  # noqa: E731
    print(f"batch --no-report over {len(docs)} registered documents (documents, comparisons, panel, index):")
    print(f"  --jobs 1: {serial:.1f}s wall = {rate(serial):.1f} documents/min (serial baseline)")
    print(f"  --jobs 2: {parallel:.1f}s wall = {rate(parallel):.1f} documents/min (target >= 60); "
          f"{serial / parallel:.2f}x the serial rate")  # fmt: skip
    print(f"linearity (--jobs 2, ten copies of the same {N} documents): {N} documents {one:.1f}s, "
          f"{10 * N} documents {ten:.1f}s: {ten / one:.2f}x the time for 10x the documents (target <= 11)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
