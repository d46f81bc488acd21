"""PDF extraction speed against pdfplumber's text extraction, and the batch's parallel speed-up.

1. For every registered PDF: the time cnbudget needs to extract all its tables (plus narrative
   and glossary) against the time pdfplumber needs just to extract the PDF's text, measured in
   the same run (best of --repeat). Target: ratio <= 2.
2. `cnbudget batch` over every registered document (full pipeline, HTML, no PDF printing, no
   comparisons) with 1 job and with 2 jobs: wall time, per-document time and the speed-up.

    python benchmarks/bench_pdf.py [--repeat 3] [--no-batch]
"""

import argparse
import shutil
import tempfile
import time
from pathlib import Path
from statistics import mean

from cnbudget.resources import find_project
from cnbudget.sources import find_registered
from cnbudget.tables.extract import extract

DATA_RAW = find_project(Path(__file__).parent).raw


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def pdfplumber_text(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()


def extraction(repeat: int) -> list[float]:
    pdfs = [p for p in find_registered(DATA_RAW) if p.suffix == ".pdf"]
    print(f"1. extracting all tables vs pdfplumber text extraction (best of {repeat})")
    print(f"   {'document':34} {'pages':>5} {'pdfplumber text':>16} {'cnbudget tables':>16} {'ratio':>6}")
    ratios = []
    for path in pdfs:
        ex = extract(path)
        plumber = best(lambda p=path: pdfplumber_text(p), repeat)
        ours = best(lambda p=path: extract(p), repeat)
        ratios.append(ours / plumber)
        key = path.parent.relative_to(DATA_RAW).as_posix()
        print(
            f"   {key:34} {ex.meta.get('pages', '?'):>5} {plumber:>15.2f}s {ours:>15.2f}s {ours / plumber:>6.2f}  "
            f"({len(ex.frames)} tables)"
        )
    print(f"   ratio: mean {mean(ratios):.2f}, worst {max(ratios):.2f} (target <= 2)")
    return ratios


def batch() -> None:
    from cnbudget.batch.run import run_batch

    print("2. cnbudget batch over every registered document (pipeline + HTML, no PDF printing)")
    walls = {}
    with tempfile.TemporaryDirectory(prefix="cnbudget-bench-") as tmp:
        for jobs in (1, 2):
            out = Path(tmp) / f"jobs{jobs}"
            summary = run_batch(DATA_RAW, out, jobs=jobs, pdf=False, compare=False)
            walls[jobs] = summary["wall_seconds"]
            per_doc = summary["document_seconds"]
            print(
                f"   jobs={jobs}: wall {summary['wall_seconds']:.1f}s for {summary['documents']} documents "
                f"({summary['ok']} ok); per document mean {mean(per_doc.values()):.1f}s, min "
                f"{min(per_doc.values()):.1f}s, max {max(per_doc.values()):.1f}s"
            )
            shutil.rmtree(out, ignore_errors=True)
    print(f"   parallel speed-up on 2 jobs: {walls[1] / walls[2]:.2f}x (ideal 2.00x)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-batch", action="store_true")
    args = parser.parse_args()
    extraction(args.repeat)
    if not args.no_batch:
        batch()


if __name__ == "__main__":
    main()
