"""Command line: ``cnbudget extract|check|run SOURCE… --out DIR`` and ``cnbudget batch FOLDER --out DIR``."""

import argparse
import sys
import time
from pathlib import Path

from . import __version__
from .errors import CnbudgetError
from .paths import DATA_PROCESSED, DATA_RAW, DEFAULT_SOURCE, REPORTS
from .source import is_under_raw


def sources_of(args) -> Path | list[Path]:
    """One path, or several files that make up one disclosure (tables file + narrative file)."""
    paths = [Path(p) for p in (args.source or [str(DEFAULT_SOURCE)])]
    return paths[0] if len(paths) == 1 else paths


def default_out(source: Path | list[Path], base: Path) -> Path:
    """Registered files mirror their data/raw/ path under ``base``; others go to ./out/<name>."""
    if isinstance(source, list):
        source = source[0]
    if is_under_raw(source):
        return base / source.resolve().parent.relative_to(DATA_RAW.resolve())
    return Path("out") / source.stem


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cmd_extract(args) -> int:
    from .extract import extract
    from .outputs import write_outputs

    source = sources_of(args)
    out = Path(args.out) if args.out else default_out(source, DATA_PROCESSED)
    started = time.perf_counter()
    extraction = extract(source, layout_name=args.layout)
    for notice in extraction.source.notices:
        log(f"note: {notice}")
    package = write_outputs(extraction, out)
    _report_extraction(extraction)
    log(f"wrote {len(extraction.frames)} tables, {len(extraction.amounts)} amount cells and {len(extraction.narrative)} narrative figures to {out} ({package.name}) in {time.perf_counter() - started:.1f}s")
    return 0


def _report_extraction(extraction) -> None:
    if extraction.missing:
        names = ", ".join(f"表{s.id} {s.title_zh}" for s in extraction.missing)
        log(f"warning: {len(extraction.missing)} of {len(extraction.layout.tables)} tables missing from the document: {names}; the others were extracted")
    flagged = [a for a in extraction.anomalies if a.kind in ("invalid_amount", "wrong_type", "not_code_name", "not_code", "extra_cells", "unparsed_table")]
    for a in flagged:
        log(f"warning: {a.message}")


def cmd_check(args) -> int:
    from .checks import run_checks, summary_lines

    source = sources_of(args)
    out = Path(args.out) if args.out else default_out(source, REPORTS)
    result = run_checks(source, out, layout_name=args.layout, data_docs=not args.no_data_docs)
    for line in summary_lines(result):
        print(line)
    if args.strict and any(c["status"] == "fail" and c["severity"] == "material" for c in result["checks"]):
        return 1
    return 0


def cmd_run(args) -> int:
    from .pipeline import run_pipeline

    source = sources_of(args)
    out = Path(args.out) if args.out else default_out(source, REPORTS)
    run_pipeline(source, out, lang=args.lang, layout=args.layout, force=args.force, pdf=not args.no_pdf)
    return 0


def cmd_batch(args) -> int:
    from .batch import run_batch

    summary = run_batch(Path(args.folder), Path(args.out), jobs=args.jobs, lang=args.lang, pdf=not args.no_pdf, compare=not args.no_compare)
    return 1 if summary["failed"] else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cnbudget", description="Chinese department budget disclosures (部门预算公开) as tidy data, checks and reports.")
    parser.add_argument("--version", action="version", version=f"cnbudget {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p, out_help):
        p.add_argument("source", nargs="*", help="budget document: a text conversion or a published PDF; several files for one disclosure published in parts (default: the reference document)")
        p.add_argument("--out", help=out_help)
        p.add_argument("--layout", help="force a layout (default: detected from the table titles)")

    p = sub.add_parser("extract", help="write tidy tables (CSV, Parquet, datapackage.json)")
    common(p, "output folder (default: data/processed/<same path as under data/raw>, or ./out/<name>)")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("check", help="run the consistency checks; write checks.json and GX Data Docs")
    common(p, "output folder (default: reports/<same path as under data/raw>, or ./out/<name>)")
    p.add_argument("--strict", action="store_true", help="exit 1 when a material disagreement is found")
    p.add_argument("--no-data-docs", action="store_true", help="skip building the GX Data Docs HTML")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("run", help="extract, check and render the report (HTML + PDF) via papermill and nbconvert")
    common(p, "output folder (default: reports/<same path as under data/raw>, or ./out/<name>)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="report language (default: zh)")
    p.add_argument("--force", action="store_true", help="rerun every stage even when inputs are unchanged")
    p.add_argument("--no-pdf", action="store_true", help="render HTML only")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("batch", help="run every registered document under a folder in parallel; index page, panel dataset, year-over-year comparisons")
    p.add_argument("folder", nargs="?", default=str(DATA_RAW), help="folder searched for registered documents (default: data/raw)")
    p.add_argument("--out", default=str(REPORTS / "batch"), help="output folder (default: reports/batch)")
    p.add_argument("--jobs", type=int, help="documents run at once (default: the number of CPU cores)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="report language (default: zh)")
    p.add_argument("--no-pdf", action="store_true", help="render HTML reports only")
    p.add_argument("--no-compare", action="store_true", help="skip the year-over-year comparisons")
    p.set_defaults(func=cmd_batch)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CnbudgetError as exc:
        log(f"cnbudget: error: {exc}")
        return 2
    except KeyboardInterrupt:
        log("cnbudget: interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
