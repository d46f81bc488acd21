"""``cnbudget corpus``: what reads and what does not, one line per disclosure, no report.

Every registered disclosure under the folders is extracted with its detected layout and checked
(great-expectations included); a disclosure no layout fits is said so, with the generic reader's
reading beside it. One line each (layout, tables read, amount cells, checks, failures, not
evaluated), then a total: everyone sees at a glance what reads and what does not.
"""

import json
import tempfile
import time
from pathlib import Path

from ..checks.run import run_checks
from ..errors import CnbudgetError
from ..tables import extract
from .run import find_documents


def _row(key: str, files: list[Path]) -> dict:
    started = time.perf_counter()
    row = {"document": key}
    try:
        ex = extract(files)
    except CnbudgetError as exc:
        row["error"] = str(exc).split(". ")[0]
        try:  # what the generic reader makes of it
            ex = extract(files, layout_name="generic")
        except CnbudgetError:
            row["seconds"] = round(time.perf_counter() - started, 2)
            return row
    with tempfile.TemporaryDirectory(prefix="cnbudget-corpus-") as tmp:
        summary = run_checks(files, Path(tmp), data_docs=False, extraction=ex)["summary"]
    printed = ex.amounts[ex.amounts["raw"] != ""] if not ex.amounts.empty else ex.amounts
    row.update(
        layout=ex.layout.name,
        tables=len({ex.frame_tables[n] for n in ex.frames}),
        of=len(ex.layout.tables),
        cells=len(printed),
        checks=summary["total"],
        material=summary["material"],
        minor=summary["minor"],
        rounding=summary["rounding"],
        not_evaluated=summary["not_evaluated"],
        seconds=round(time.perf_counter() - started, 2),
    )
    return row


def _line(row: dict) -> str:
    if "layout" not in row:
        return f"{row['document']:50} NOT READ: {row['error']}"
    note = f"  (no layout fits: {row['error']})" if "error" in row else ""
    return (
        f"{row['document']:50} {row['layout']:16} tables {row['tables']:>2}/{row['of']:<2} cells {row['cells']:>5} "
        f"checks {row['checks']:>5}  material {row['material']:>3}  minor {row['minor']:>3}  "
        f"not evaluated {row['not_evaluated']:>3}  {row['seconds']:>5.1f}s{note}"
    )


def run_corpus(folders: list[Path], out: Path | None = None, say=print) -> list[dict]:
    """One line per disclosure under ``folders``, then the total; ``out`` gets corpus.json."""
    started = time.perf_counter()
    documents = [(f"{folder.name}/{d.key}", d.files) for folder in folders for d in find_documents(folder)]
    rows = []
    for key, files in documents:
        rows.append(_row(key, files))
        say(_line(rows[-1]))
    read = [r for r in rows if "layout" in r and "error" not in r]
    total = {
        "documents": len(rows),
        "read_with_a_layout": len(read),
        "generic_only": sum("layout" in r and "error" in r for r in rows),
        "not_read": sum("layout" not in r for r in rows),
        "tables": sum(r.get("tables", 0) for r in rows),
        "cells": sum(r.get("cells", 0) for r in rows),
        "checks": sum(r.get("checks", 0) for r in rows),
        "material": sum(r.get("material", 0) for r in rows),
        "minor": sum(r.get("minor", 0) for r in rows),
        "not_evaluated": sum(r.get("not_evaluated", 0) for r in rows),
        "seconds": round(time.perf_counter() - started, 1),
    }
    say(
        f"total: {total['documents']} documents, {total['read_with_a_layout']} read with a layout, "
        f"{total['generic_only']} by the generic reader only, {total['not_read']} not read; {total['tables']} "
        f"tables, {total['cells']} amount cells, {total['checks']} checks, {total['material']} material and "
        f"{total['minor']} minor failures, {total['not_evaluated']} not evaluated; {total['seconds']}s"
    )
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / "corpus.json").write_text(
            json.dumps({"documents": rows, "total": total}, ensure_ascii=False, indent=2), encoding="utf-8"
        )
    return rows
