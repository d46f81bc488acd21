"""Checks stage: relations + narrative + data quality -> GX validation -> checks.json."""

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pandas as pd

from .. import __version__
from ..money import to_q
from ..tables import Extraction, extract
from ..words import lines as words_lines
from ..words import say
from .causes import link_causes
from .evidence import add_evidence
from .findings_files import write_findings, write_workbook
from .gx_worker import data_docs_index, validate
from .narrative import narrative_checks
from .quality import quality_checks
from .records import (
    FAIL,
    LINKED,
    MATERIAL,
    MINOR,
    NONE,
    NOT_EVALUATED,
    NOTE,
    PASS,
    ROUNDING,
    Check,
    is_material_failure,
)
from .relations import run_relations
from .structure import structure_checks
from .table_rules import failing_checks, table_suites


def compute_rows(ex: Extraction) -> tuple[list[Check], list[dict]]:
    """Every relation instance of the layout (not yet validated), plus unchecked narrative figures."""
    rows = run_relations(ex)
    narrative_rows, unchecked = narrative_checks(ex)
    project_rows = [r for r in rows if r.names is not None]  # projects paired by name across tables
    all_rows = structure_checks(ex) + rows + narrative_rows + quality_checks(ex, project_rows)
    link_causes(all_rows, ex)
    if ex.source.kind == "pdf":
        add_pages(all_rows, ex)
    return all_rows, unchecked


def add_pages(rows: list[Check], ex: Extraction) -> None:
    """PDF sources: the pages of the published PDF where each check's figures are printed."""
    for row in rows:
        if row.kind == "narrative" and ex.extra_files:
            continue  # narrative lines then belong to another file's rendering
        pages = ex.pages_of([*row.left_lines, *row.right_lines])
        if pages:
            row.pages = pages
            row.location += say("pdf_pages", pages=",".join(map(str, pages)))


def reconciliation_frames(rows: list[Check]) -> dict[str, pd.DataFrame]:
    """One frame per kind; numeric relations carry q-integers (1e-8 万元) for GX."""
    frames: dict[str, list[dict]] = {}
    for row in rows:
        if not row.evaluable:
            continue  # a figure that was not read is never compared (status not_evaluated)
        if not row.numeric:
            rec = {"id": row.id, "holds": bool(row.holds)}
        else:
            rec = {
                "id": row.id,
                "left_q": _q(row.left),
                "right_q": _q(row.right),
                "abs_difference_q": _q(abs(row.difference)),
                "allowance_q": _q(row.allowance),
                # the figures as printed, for a reader of the Data Docs (GX compares the integers)
                "figures": f"{row.left} / {row.right}, Δ {row.difference} {row.unit or ''}".strip(),
            }
        frames.setdefault(row.kind, []).append(rec)
    return {kind: pd.DataFrame.from_records(recs) for kind, recs in frames.items()}


def _q(value: Decimal | None) -> int | None:
    if value is None:
        return None
    return to_q(value.quantize(Decimal("1e-8")))


def table_verdicts(table_checks: list[Check], failing: dict[str, list], outcome: dict) -> None:
    """A table rule fails when GX found rows that break it: those rows are named, and the check
    joins the data-quality verdicts ``judge`` reads."""
    verdicts = outcome.setdefault("data_quality", {}).setdefault("expect_finding_holds", set())
    for check in table_checks:
        ids = failing.get(check.id, [])
        if ids:
            verdicts.add(check.id)
            lines = sorted({int(i.rsplit("/", 1)[1]) for i in ids if i.rsplit("/", 1)[1].isdigit()})
            check.location = say("table_lines", table=check.tables[0], lines=words_lines(lines, 12))
            check.left_lines = lines


def judge(rows: list[Check], outcome: dict[str, dict]) -> list[dict]:
    """Status and severity of every row, from GX's verdicts; returns the public records."""
    checks = []
    for row in rows:
        failing = outcome.get(row.kind, {})
        if not row.evaluable:
            row.status, row.severity = NOT_EVALUATED, None
        elif not row.numeric:
            failed = row.id in failing.get("expect_finding_holds", set())
            row.status, row.severity = (FAIL, row.finding_severity) if failed else (PASS, NONE)
        else:
            beyond = row.id in failing.get("expect_reconciliation_within_allowance", set())
            inexact = row.id in failing.get("expect_reconciliation_exact", set())
            if beyond and row.caused_by:
                row.status, row.severity = FAIL, LINKED
            elif beyond and row.note:
                row.status, row.severity = FAIL, NOTE
            elif beyond:
                row.status, row.severity = FAIL, MATERIAL
            elif inexact:
                row.status, row.severity = PASS, ROUNDING
            else:
                row.status, row.severity = PASS, NONE
        checks.append(row.public())
    return checks


def run_checks(
    source: str | Path,
    out: Path,
    layout_name: str | None = None,
    data_docs: bool = True,
    extraction: Extraction | None = None,
) -> dict:
    """Run every check on a document, validate with GX, write ``out/checks.json`` (and the findings as
    ``findings.csv`` and ``findings.xlsx``, PDF crops in ``evidence/``); return its content."""
    ex = extraction or extract(source, layout_name=layout_name)
    rows, unchecked = compute_rows(ex)
    suites, table_checks = table_suites(ex)  # GX on the tidy tables themselves
    out.mkdir(parents=True, exist_ok=True)
    tables = [(s.name, s.frame, s.rules) for s in suites]
    outcome = validate(reconciliation_frames(rows), out / "gx" if data_docs else None, tables)
    rows += table_checks
    table_verdicts(table_checks, failing_checks(outcome.get("tables", {}), suites), outcome)
    judge(rows, outcome)
    add_evidence(rows, ex, out)  # PDFs: a crop of the page around each failing check's figures
    checks = [row.public() for row in rows]
    failed = [c for c in checks if c["status"] == FAIL]
    unevaluated = [c for c in checks if c["status"] == NOT_EVALUATED]
    result = {
        "source": {
            "path": str(ex.source.path),
            "sha256": ex.source.sha256,
            "title": ex.meta.get("title"),
            "layout": ex.layout.name,
        },
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "cnbudget": __version__,
        "summary": {
            "total": len(checks),
            "passed": len(checks) - len(failed) - len(unevaluated),
            "failed": len(failed),
            "not_evaluated": len(unevaluated),
            "material": sum(c["severity"] == MATERIAL for c in failed),
            "minor": sum(c["severity"] == MINOR for c in failed),
            "rounding": sum(c["severity"] == ROUNDING for c in checks),
            "linked": sum(c["severity"] == LINKED for c in checks),
            "notes": sum(c["severity"] == NOTE for c in checks),
            "by_kind": {
                k: {
                    "total": sum(c["kind"] == k for c in checks),
                    "failed": sum(c["kind"] == k and c["status"] == FAIL for c in checks),
                    "not_evaluated": sum(c["kind"] == k and c["status"] == NOT_EVALUATED for c in checks),
                }
                for k in dict.fromkeys(c["kind"] for c in checks)
            },
            "missing_tables": [s.id for s in ex.missing],
        },
        "checks": checks,
        "unchecked_narrative": unchecked,
    }
    if data_docs:  # built by now, or by the great-expectations worker before `cnbudget run` goes on
        result["data_docs"] = data_docs_index(out / "gx").relative_to(out).as_posix()
    (out / "checks.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    write_findings(checks, out)  # findings.csv and findings.xlsx: the failing and noted checks
    frames = {ex.written_name(name): frame for name, frame in ex.frames.items()}
    titles = {ex.written_name(n): f"表{ex.frame_tables[n]} {ex.layout.table(ex.frame_tables[n]).title_zh}"
              for n in ex.frames}  # fmt: skip
    write_workbook(frames, titles, checks, out)  # tables.xlsx: every table and the findings
    return result


def summary_lines(result: dict) -> list[str]:
    s = result["summary"]
    lines = [
        f"{s['total']} relations checked: {s['passed']} hold, {s['failed']} disagree ({s['material']} material, "
        f"{s['minor']} minor, {s['notes']} notes, {s['linked']} caused by a malformed cell); "
        f"{s['rounding']} within rounding; {s['not_evaluated']} not evaluated"
    ]
    for c in result["checks"]:
        if is_material_failure(c):
            diff = f" difference {c['difference']:+g} {c['unit'] or ''}" if c["difference"] is not None else ""
            lines.append(f"  MATERIAL [{c['kind']}] {c['description']}{diff} — {c['location']}")
    if s["missing_tables"]:
        lines.append(f"  tables missing from the document: {', '.join(s['missing_tables'])}")
    return lines
