"""`cnbudget batch DIR --out DIR`: every registered document under a folder, in parallel.

Each document runs the whole pipeline (papermill notebooks, HTML, PDF) in its own worker
process; a document that fails is recorded with its reason and the others go on. Then:
an index page, a panel dataset of every document's tables, and a year-over-year comparison
for every department with consecutive years.
"""

import json
import os
import sys
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from ..checks.records import is_material_failure
from ..errors import CnbudgetError
from ..sources import SIDECAR_SUFFIX, find_registered
from ..workspace import locked
from .index import write_index


@dataclass
class Document:
    """One disclosure: one or several registered files in one folder."""

    key: str  # folder relative to the batch root, e.g. jiangsu/2019/high-court
    files: list[Path]
    meta: dict = field(default_factory=dict)
    error: str | None = None  # a sidecar that is not a JSON object: recorded as failed, not run


def find_documents(root: Path) -> list[Document]:
    """Registered files (with a sidecar), grouped by folder: one folder, one disclosure."""
    if not root.exists():
        raise CnbudgetError(f"{root}: no such folder")
    if not root.is_dir():
        raise CnbudgetError(f"{root}: not a folder; `cnbudget batch` takes a folder of registered documents")
    root = root.resolve()  # notebooks run in their output folder: every path must be absolute
    groups: dict[Path, list[Path]] = {}
    for path in find_registered(root):
        groups.setdefault(path.parent, []).append(path)
    docs = []
    for folder, files in sorted(groups.items()):
        metas, error = [], None
        for f in files:
            sidecar = Path(str(f) + SIDECAR_SUFFIX)
            try:
                found = json.loads(sidecar.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                found, error = {}, f"{sidecar}: not readable as JSON ({exc})"
            if not isinstance(found, dict):
                found, error = {}, f"{sidecar}: a sidecar must be a JSON object, found {type(found).__name__}"
            metas.append(found)
        meta = {k: v for m in reversed(metas) for k, v in m.items()}
        key = folder.relative_to(root).as_posix() if folder != root else folder.name
        docs.append(Document(key, files, meta, error))
    return docs


def _run_one(key: str, files: list[str], out: str, lang: str, pdf: bool) -> dict:
    """Worker: the full pipeline for one document; never raises."""
    from ..report.pipeline import run_pipeline

    started = time.perf_counter()
    target = Path(out) / key
    paths = [Path(f) for f in files]
    result = {"key": key, "files": files, "out": str(target), "status": "ok", "error": None}
    try:
        run = run_pipeline(paths[0] if len(paths) == 1 else paths, target, lang=lang, pdf=pdf, quiet=True)
        result["timings"] = run["timings"]
        checks = json.loads((target / "checks.json").read_text(encoding="utf-8"))
        result["summary"] = checks["summary"]
        result["source"] = checks["source"]
        material = [c for c in checks["checks"] if is_material_failure(c)]
        result["headline"] = [c["description"] for c in material[:3]]
        result["panel"] = _panel_part(paths, target, key)
    except CnbudgetError as exc:
        result.update(status="failed", error=str(exc))
    except Exception as exc:  # noqa: BLE001 - one broken document must not stop the batch
        result.update(status="failed", error=f"{type(exc).__name__}: {exc}", traceback=traceback.format_exc(limit=6))
    result["seconds"] = time.perf_counter() - started
    return result


def _panel_part(paths: list[Path], target: Path, key: str) -> str:
    from ..tables.extract import extract
    from ..tables.panel import long_frame

    ex = extract(paths[0] if len(paths) == 1 else paths)
    part = long_frame(ex, key)
    path = target / "panel_part.pkl"
    part.to_pickle(path)  # Decimal amounts kept exact between processes
    return str(path)


def _bar(done: int, total: int, width: int = 28) -> str:
    filled = int(width * done / total) if total else width
    return f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"


def run_batch(
    root: Path, out: Path, jobs: int | None = None, lang: str = "zh", pdf: bool = True, compare: bool = True
) -> dict:
    started = time.perf_counter()
    docs = find_documents(root)
    if not docs:
        raise CnbudgetError(
            f"{root}: no registered documents (a registered document has a sidecar <file>{SIDECAR_SUFFIX}); see "
            "README, 'Adding a document'"
        )
    out.mkdir(parents=True, exist_ok=True)
    with locked(out):
        return _run_batch(root, out, docs, started, jobs, lang, pdf, compare)


def _run_batch(root, out, docs, started, jobs, lang, pdf, compare) -> dict:
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(docs)))
    print(f"batch: {len(docs)} documents under {root}, {jobs} in parallel → {out}", file=sys.stderr, flush=True)
    results: list[dict] = []
    for doc in (d for d in docs if d.error):  # a broken sidecar: recorded, the others go on
        results.append({"key": doc.key, "files": [str(f) for f in doc.files], "out": str(out / doc.key),
                        "status": "failed", "error": doc.error, "seconds": 0.0, "meta": doc.meta})  # fmt: skip
        print(f"{_bar(len(results), len(docs))} {doc.key} FAILED: {doc.error}", file=sys.stderr, flush=True)
    runnable = [d for d in docs if not d.error]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(_run_one, d.key, [str(f) for f in d.files], str(out), lang, pdf): d for d in runnable}
        for future in as_completed(futures):
            result = future.result()
            result["meta"] = futures[future].meta
            results.append(result)
            status = "ok" if result["status"] == "ok" else f"FAILED: {result['error']}"
            print(
                f"{_bar(len(results), len(docs))} {result['key']} ({result['seconds']:.1f}s) {status}",
                file=sys.stderr,
                flush=True,
            )
    results.sort(key=lambda r: r["key"])
    documents_wall = time.perf_counter() - started
    panel_info = _write_panel(results, out)
    comparisons = _compare_years(results, out, lang) if compare else []
    index = write_index(results, comparisons, out, root, lang)
    wall = time.perf_counter() - started  # everything: documents, panel, comparisons, index
    summary = {
        "root": str(root),
        "documents": len(results),
        "ok": sum(r["status"] == "ok" for r in results),
        "failed": sum(r["status"] != "ok" for r in results),
        "jobs": jobs,
        "wall_seconds": wall,
        "documents_wall_seconds": documents_wall,
        "document_seconds": {r["key"]: r["seconds"] for r in results},
        "panel_rows": panel_info["rows"],
        "comparisons": [c["key"] for c in comparisons],
    }
    (out / "batch.json").write_text(
        json.dumps(
            {"summary": summary, "results": results, "comparisons": comparisons},
            ensure_ascii=False,
            indent=1,
            default=str,
        ),
        encoding="utf-8",
    )
    print(
        f"batch: {summary['ok']} ok, {summary['failed']} failed in {wall:.1f}s (documents {documents_wall:.1f}s); "
        f"panel {panel_info['rows']} rows; "
        f"index {index}",
        file=sys.stderr,
        flush=True,
    )
    return summary


def _write_panel(results: list[dict], out: Path) -> dict:
    import pandas as pd

    from ..tables.panel import write_panel

    parts = []
    for r in results:
        if r["status"] == "ok" and r.get("panel"):
            parts.append(pd.read_pickle(r["panel"]))
            Path(r["panel"]).unlink()
    return write_panel(parts, out / "panel")


def _compare_years(results: list[dict], out: Path, lang: str) -> list[dict]:
    """Year-over-year reports for every department with consecutive years in the batch."""
    from ..report.pipeline import render_html, run_notebook
    from .compare import consecutive_pairs

    docs = [{**r["meta"], "key": r["key"], "files": r["files"]} for r in results if r["status"] == "ok"]
    comparisons = []
    for prev, cur in consecutive_pairs(docs):
        key = f"{cur['region']}-{cur['key'].split('/')[-1]}-{prev['year']}-{cur['year']}"
        target = out / "compare" / key
        print(f"compare: {prev['key']} → {cur['key']}", file=sys.stderr, flush=True)
        record = {
            "key": key,
            "previous": prev["key"],
            "current": cur["key"],
            "department": cur.get("department"),
            "years": [prev["year"], cur["year"]],
            "html": str(target / "compare.html"),
        }
        try:
            target.mkdir(parents=True, exist_ok=True)
            params = {
                "previous": _one_or_list(prev["files"]),
                "current": _one_or_list(cur["files"]),
                "out_dir": str(target.resolve()),
                "lang": lang,
            }
            executed = run_notebook("04_compare.ipynb", target, params)
            title = f"{cur.get('department')} {prev['year']}→{cur['year']}"
            render_html(executed, target / "compare.html", title, lang)
            record.update(json.loads((target / "compare.json").read_text(encoding="utf-8"))["summary"])
            record["status"] = "ok"
        except CnbudgetError as exc:
            record.update(status="failed", error=str(exc))
        comparisons.append(record)
    return comparisons


def _one_or_list(files: list[str]):
    return files[0] if len(files) == 1 else files
