"""PDF extraction speed against pdfplumber's text extraction, and the batch's parallel speed-up.

1. For every registered PDF disclosure (its files together): the time cnbudget needs to extract
   all its tables (plus narrative and glossary) against the time pdfplumber needs just to extract
   the PDFs' text, measured in the same run (best of --repeat), target: ratio <= 2; and the time
   per page of the longest document against the median time per page (linear in pages: about 1).
2. Time against pages: the first quarter, half and all of the longest tables PDF.
3. `cnbudget batch` over every registered document with reports (HTML, no PDF printing, no
   comparisons) with 1 job and with 2 jobs: wall time, per-document time and the speed-up
   (`make bench` skips it: bench_batch.py measures the `--no-report` batch).

    python benchmarks/bench_pdf.py [--repeat 3] [--no-batch]
"""

import argparse
import shutil
import tempfile
import time
from pathlib import Path
from statistics import mean

import pypdfium2 as pdfium

from cnbudget.batch.run import find_documents
from cnbudget.resources import find_project
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
    documents = [d for d in find_documents(DATA_RAW) if all(p.suffix == ".pdf" for p in d.files)]
    print(f"1. extracting all tables vs pdfplumber text extraction (best of {repeat})")
    print(
        f"   {'document':44} {'pages':>5} {'pdfplumber text':>16} {'cnbudget tables':>16} {'ratio':>6} {'ms/page':>8}"
    )
    ratios = []
    for doc in documents:
        files = list(doc.files)
        ex = extract(files)
        pages = sum(len(pdfium.PdfDocument(p)) for p in files)
        plumber = best(lambda fs=files: [pdfplumber_text(p) for p in fs], repeat)
        ours = best(lambda fs=files: extract(fs), repeat)
        ratios.append(ours / plumber)
        print(
            f"   {doc.key:44} {pages:>5} {plumber:>15.2f}s {ours:>15.2f}s {ours / plumber:>6.2f} "
            f"{ours / pages * 1000:>8.0f}  ({len(ex.frames)} tables)"
        )
    print(f"   ratio: mean {mean(ratios):.2f}, worst {max(ratios):.2f} (target <= 2)")
    return ratios


def linearity(repeat: int) -> float:
    """Time to read the first quarter, half and all of the longest tables PDF: per page, the same
    pages read in a longer document cost the same (ratio about 1) when time is linear in pages."""
    from cnbudget.read import read_document
    from cnbudget.sources import load_source

    pdfs = [p for d in find_documents(DATA_RAW) for p in d.files if p.suffix == ".pdf"]
    longest = max(pdfs, key=lambda p: len(pdfium.PdfDocument(p)))
    total = len(pdfium.PdfDocument(longest))
    print(f"2. time against pages: prefixes of {longest.parent.relative_to(DATA_RAW).as_posix()} ({total} pages)")
    per_page = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in (total // 4, total // 2, total):
            prefix = pdfium.PdfDocument.new()
            prefix.import_pages(pdfium.PdfDocument(longest), list(range(n)))
            path = Path(tmp) / f"prefix-{n}.pdf"
            prefix.save(path)
            seconds = best(lambda p=path: read_document(load_source(p, verify=False)), repeat)
            per_page.append(seconds / n)
            print(f"   first {n:>4} pages: {seconds:6.2f}s, {seconds / n * 1000:5.1f} ms/page")
    ratio = per_page[-1] / per_page[0]
    print(f"   ms/page of all {total} pages / ms/page of the first {total // 4}: {ratio:.2f} (1.0 = linear)")
    return ratio


def batch() -> None:
    from cnbudget.batch.run import run_batch

    print("3. cnbudget batch over every registered document (pipeline + HTML, no PDF printing)")
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
    linearity(args.repeat)
    if not args.no_batch:
        batch()


if __name__ == "__main__":
    main()
