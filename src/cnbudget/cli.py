"""Command line: ``cnbudget extract|check|run SOURCE… --out DIR`` and ``cnbudget batch FOLDER --out DIR``."""

import argparse
import sys
import time
from pathlib import Path

from . import __version__
from .errors import CnbudgetError
from .logs import command_line
from .logs import progress as log  # progress and diagnostics: stderr, through logging
from .resources import Project, find_project
from .workspace import locked, prepare_out


def sources_of(args) -> Path | list[Path]:
    """One path, or several files that make up one disclosure (tables file + narrative file)."""
    if args.source:
        paths = [Path(p) for p in args.source]
    elif (project := find_project()) is not None:
        paths = [project.reference_document]
    else:
        raise CnbudgetError(
            "no SOURCE given; the default document (the reference) exists only inside the cnbudget repository"
        )
    return paths[0] if len(paths) == 1 else paths


def _in_repository(source: Path | list[Path]) -> tuple[Project, Path] | None:
    """(project, path under data/raw) when run from the repository on one of its raw files."""
    first = source[0] if isinstance(source, list) else source
    project = find_project()
    relative = project.raw_path_of(first) if project else None
    return (project, relative) if relative is not None else None


def default_out(source: Path | list[Path], folder: str) -> Path:
    """From the repository, a raw file's outputs mirror its data/raw/ path under ``folder``
    (``processed`` or ``reports``); anything else goes to ./out/<name>."""
    if (found := _in_repository(source)) is not None:
        project, relative = found
        return getattr(project, folder) / relative
    first = source[0] if isinstance(source, list) else source
    return Path("out") / first.stem


def processed_folder(source: Path | list[Path], out: Path, given: bool) -> Path:
    """Where `run` puts the tables: next to the report (``out/data``), except from the repository
    without ``--out``: ``data/processed/<path>``."""
    return default_out(source, "processed") if not given and _in_repository(source) else out / "data"


QUIET = "only warnings and errors on stderr (results still go to stdout)"
VERBOSE = "more detail on stderr (parameters, stage keys)"


def out_folder(args, source: Path | list[Path], folder: str) -> Path:
    """``--out`` (or the default), checked before any work: a folder that can be written and that
    holds no raw documents."""
    out = Path(args.out) if args.out else default_out(source, folder)
    project = find_project()
    sources = source if isinstance(source, list) else [source]
    return prepare_out(out, sources, project.raw if project else None)


def cmd_extract(args) -> int:
    from .tables.extract import extract
    from .tables.outputs import write_outputs

    source = sources_of(args)
    out = out_folder(args, source, "processed")
    started = time.perf_counter()
    with locked(out):
        extraction = extract(source, layout_name=args.layout)
        for notice in extraction.source.notices:
            log(f"note: {notice}")
        package = write_outputs(extraction, out)
    _report_extraction(extraction)
    print(  # the result: stdout
        f"wrote {len(extraction.frames)} tables, {len(extraction.amounts)} amount cells and "
        f"{len(extraction.narrative)} narrative figures to {out} ({package.name}) in "
        f"{time.perf_counter() - started:.1f}s"
    )
    return 0


def _report_extraction(extraction) -> None:
    from .tables.extract import extraction_warnings

    for warning in extraction_warnings(extraction):
        log(f"warning: {warning}")


def cmd_check(args) -> int:
    from .checks.records import is_material_failure
    from .checks.run import run_checks, summary_lines

    source = sources_of(args)
    out = out_folder(args, source, "reports")
    with locked(out):
        result = run_checks(source, out, layout_name=args.layout, data_docs=not args.no_data_docs)
    for line in summary_lines(result):
        print(line)
    if args.strict and any(is_material_failure(c) for c in result["checks"]):
        return 1
    return 0


def cmd_run(args) -> int:
    from .report.pipeline import run_pipeline

    source = sources_of(args)
    out = out_folder(args, source, "reports")
    processed = processed_folder(source, out, given=bool(args.out))
    result = run_pipeline(
        source, out, lang=args.lang, layout=args.layout, force=args.force, pdf=not args.no_pdf, processed=processed
    )
    print(f"report: {result['html']}" + (f" and {result['pdf']}" if result["pdf"] else ""))  # the result: stdout
    return 0


def cmd_batch(args) -> int:
    from .batch.run import run_batch

    project = find_project()
    if args.folder is None and project is None:
        raise CnbudgetError("no FOLDER given; the default (data/raw) exists only inside the cnbudget repository")
    folder = Path(args.folder) if args.folder else project.raw
    out = Path(args.out) if args.out else (project.reports / "batch" if project else Path("out") / "batch")
    out = prepare_out(out, [], project.raw if project else None)
    summary = run_batch(
        folder,
        out,
        jobs=args.jobs,
        lang=args.lang,
        pdf=not args.no_pdf,
        compare=not args.no_compare,
        report=not args.no_report,
        scheduler=args.scheduler,
    )
    return 1 if summary["failed"] else 0


def cmd_corpus(args) -> int:
    from .batch.corpus import run_corpus

    project = find_project()
    if not args.folder and project is None:
        raise CnbudgetError("no FOLDER given; the default (data/raw) exists only inside the cnbudget repository")
    folders = [Path(f) for f in args.folder] if args.folder else [project.raw]
    rows = run_corpus(folders, Path(args.out) if args.out else None, say=print)
    return 1 if any("layout" not in r for r in rows) else 0


def cmd_fetch(args) -> int:
    from .sources.fetch import default_mirror, fetch_all

    project = find_project()
    if args.folder is None and project is None:
        raise CnbudgetError("no FOLDER given; the default (data/raw) exists only inside the cnbudget repository")
    folder = Path(args.folder) if args.folder else project.raw
    mirror = Path(args.mirror) if args.mirror else default_mirror(project.root if project else None)
    if mirror is not None and not mirror.is_dir():
        raise CnbudgetError(f"{mirror}: no such folder (--from)")
    log(f"fetch: registered documents under {folder}" + (f", copying from {mirror}" if mirror else ", downloading"))
    results = fetch_all(folder, mirror, say=log)
    missing = [r for r in results if r.status == "unavailable"]
    log(
        f"fetch: {len(results) - len(missing)} of {len(results)} documents in place"
        + (f"; {len(missing)} unavailable" if missing else "")
    )
    return 2 if missing else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cnbudget",
        description="Chinese department budget disclosures (部门预算公开) as tidy data, checks and reports.",
    )
    parser.add_argument("--version", action="version", version=f"cnbudget {__version__}")
    parser.add_argument("-q", "--quiet", action="store_true", help=QUIET)
    parser.add_argument("-v", "--verbose", action="store_true", help=VERBOSE)
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p, out_help):
        p.add_argument(
            "source",
            nargs="*",
            help=(
                "budget document: a text conversion or a published PDF; several files for one disclosure published "
                "in parts (default: the reference document)"
            ),
        )
        p.add_argument("--out", help=out_help)
        p.add_argument("--layout", help="force a layout (default: detected from the table titles)")

    p = sub.add_parser(
        "fetch", help="materialise every registered document (sidecar) into data/raw, checking its sha256"
    )
    p.add_argument("folder", nargs="?", help="folder searched for sidecars (default: data/raw)")
    p.add_argument(
        "--from",
        dest="mirror",
        help="local mirror of the sources to copy from (default: $CNBUDGET_SOURCES, else ../shared/sources)",
    )
    p.set_defaults(func=cmd_fetch)

    p = sub.add_parser(
        "corpus", help="extract and check every registered disclosure (no report): one line each, then a total"
    )
    p.add_argument("folder", nargs="*", help="folders searched for registered documents (default: data/raw)")
    p.add_argument("--out", help="also write corpus.json (every line as data) to this folder")
    p.set_defaults(func=cmd_corpus)

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

    p = sub.add_parser(
        "batch",
        help=(
            "run every registered document under a folder in parallel; index page, panel dataset, year-over-year "
            "comparisons"
        ),
    )
    p.add_argument("folder", nargs="?", help="folder searched for registered documents (default: data/raw)")
    p.add_argument("--out", help="output folder (default: reports/batch, or ./out/batch outside the repository)")
    p.add_argument("--jobs", type=int, help="documents run at once (default: the number of CPU cores)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="report language (default: zh)")
    p.add_argument("--no-pdf", action="store_true", help="render HTML reports only")
    p.add_argument("--no-compare", action="store_true", help="skip the year-over-year comparisons")
    p.add_argument(
        "--no-report",
        action="store_true",
        help="tables, checks, checks.json, panel and index only: no notebooks, no HTML or PDF per document",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on a Dask distributed cluster: a scheduler address (tcp://host:8786), or `local` to start one "
        "here with --jobs worker processes (default: a local process pool)",
    )
    p.set_defaults(func=cmd_batch)
    for command in sub.choices.values():  # accepted after the command too: cnbudget run -q …
        command.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help=QUIET)
        command.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help=VERBOSE)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    with command_line(-1 if getattr(args, "quiet", False) else 1 if getattr(args, "verbose", False) else 0):
        return _dispatch(args)


def _dispatch(args) -> int:
    try:
        return args.func(args)
    except CnbudgetError as exc:
        log(f"cnbudget: error: {exc}")
        return 2
    except KeyboardInterrupt:
        log("cnbudget: interrupted")
        return 130
    except Exception as exc:  # noqa: BLE001 - a defect of cnbudget: one line, the traceback in a file
        import tempfile
        import traceback

        with tempfile.NamedTemporaryFile("w", prefix="cnbudget-traceback-", suffix=".txt", delete=False) as fh:
            traceback.print_exc(file=fh)
        log(f"cnbudget: internal error: {type(exc).__name__}: {exc} (a defect of cnbudget; traceback in {fh.name})")
        return 70


if __name__ == "__main__":
    sys.exit(main())
