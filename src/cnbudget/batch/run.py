"""`cnbudget batch DIR --out DIR`: every registered document under a folder, in parallel.

Warm worker processes (``batch.worker``: a process pool, or a Dask cluster) take the documents
from a queue: tables, checks (great-expectations), ``checks.json``, and the report unless
``--no-report``. A document that fails is recorded with its reason and the others go on; progress
says how many are done and failed, the rate and the time left. Then: the panel dataset (Parquet
partitioned by region and year), a year-over-year comparison for every department with consecutive
years, and the index page; the total wall time is said last.
"""

import json
import os
import time
from concurrent.futures import as_completed
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CnbudgetError
from ..logs import progress
from ..sources import SIDECAR_SUFFIX, find_registered, sidecar_path
from ..workspace import locked
from .compare import consecutive_pairs
from .index import write_index
from .worker import compare_pair, executor, process_document


@dataclass
class Document:
    """One disclosure: one or several registered files in one folder."""

    key: str  # folder relative to the batch root, e.g. jiangsu/2019/high-court
    files: list[Path]
    meta: dict = field(default_factory=dict)  # the sidecars' fields (none from a broken sidecar)


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
        metas = []
        for f in files:
            try:
                found = json.loads(sidecar_path(f).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                found = {}
            # a broken sidecar groups nothing; the document's worker reads it (load_source) and
            # records the document as failed with what is wrong with it
            metas.append(found if isinstance(found, dict) else {})
        meta = {k: v for m in reversed(metas) for k, v in m.items()}
        key = folder.relative_to(root).as_posix() if folder != root else folder.name
        docs.append(Document(key, files, meta))
    return docs


def _progress(done: int, failed: int, total: int, started: float, width: int = 24) -> str:
    """``[#####.....] 12/40 done, 1 failed, 35.2/min, about 0:48 left``: the rate over the documents
    finished so far, the time left at that rate."""
    filled = int(width * done / total) if total else width
    elapsed = time.perf_counter() - started
    rate = done / elapsed * 60 if elapsed > 0 and done else 0.0
    left = (total - done) / rate * 60 if rate else None
    eta = f"about {int(left // 60)}:{int(left % 60):02d} left" if left is not None else "time left unknown"
    return f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total} done, {failed} failed, {rate:.1f}/min, {eta}"


def run_batch(
    root: Path,
    out: Path,
    jobs: int | None = None,
    lang: str = "zh",
    pdf: bool = True,
    compare: bool = True,
    report: bool = True,
    scheduler: str | None = None,
) -> dict:
    """Every registered document under ``root`` into ``out``: tables, checks and panel part by warm
    workers (a process pool, or Dask when ``scheduler`` is given), the report of each unless
    ``report`` is False, then the panel, the comparisons and the index."""
    started = time.perf_counter()
    docs = find_documents(root)
    if not docs:
        raise CnbudgetError(
            f"{root}: no registered documents (a registered document has a sidecar <file>{SIDECAR_SUFFIX}); see "
            "README, 'Adding a document'"
        )
    out.mkdir(parents=True, exist_ok=True)
    with locked(out):
        settings = {"jobs": jobs, "lang": lang, "pdf": pdf, "compare": compare, "report": report}
        return _run_batch(root, out, docs, started, settings, scheduler)


def _run_documents(docs: list[Document], out: Path, settings: dict, scheduler: str | None, started: float):
    """Documents, then each comparison of consecutive years as soon as both its documents are
    through, all on the same warm workers. Returns (results, comparisons)."""
    results: list[dict] = []
    failed = 0
    # the largest files first: a long document started last would leave the other workers idle
    ordered = sorted(docs, key=lambda d: -sum(f.stat().st_size for f in d.files))
    args = (str(out), settings["lang"], settings["report"], settings["pdf"])
    described = [{**d.meta, "key": d.key, "files": [str(f) for f in d.files]} for d in ordered]
    pairs = consecutive_pairs(described) if settings["compare"] else []
    done: set[str] = set()
    comparing = []
    with executor(settings["jobs"], scheduler) as pool:
        futures = {pool.submit(process_document, d.key, [str(f) for f in d.files], *args): d for d in ordered}
        for future in as_completed(futures):
            result = future.result()
            result["meta"] = futures[future].meta
            results.append(result)
            failed += result["status"] != "ok"
            status = "ok" if result["status"] == "ok" else f"FAILED: {result['error']}"
            progress(f"{_progress(len(results), failed, len(docs), started)}  {result['key']} "
                     f"({result['seconds']:.1f}s) {status}")  # fmt: skip
            if result["status"] == "ok":
                done.add(result["key"])
            for prev, cur in [p for p in pairs if result["key"] in (p[0]["key"], p[1]["key"])]:
                if prev["key"] in done and cur["key"] in done:
                    comparing.append(pool.submit(compare_pair, prev, cur, str(out), settings["lang"],
                                                 settings["report"]))  # fmt: skip
        comparisons = [f.result() for f in comparing]
    for c in comparisons:
        said = f" ({c['error']})" if c.get("error") else ""
        progress(f"compare: {c['previous']} → {c['current']}: {c['status']}{said}")
    return results, comparisons


def _run_batch(root, out, docs, started, settings, scheduler) -> dict:
    jobs = max(1, min(settings["jobs"] or os.cpu_count() or 1, len(docs)))
    settings = {**settings, "jobs": jobs}
    where = f"Dask scheduler {scheduler}" if scheduler else f"{jobs} worker processes"
    what = "tables and checks" if not settings["report"] else "tables, checks and reports"
    progress(f"batch: {len(docs)} documents under {root}, {what}, {where} → {out}")
    results, comparisons = _run_documents(docs, out, settings, scheduler, started)
    results.sort(key=lambda r: r["key"])
    documents_wall = time.perf_counter() - started
    panel_info = _write_panel(results, out)
    index = write_index(results, comparisons, out, root, settings["lang"])
    wall = time.perf_counter() - started  # everything: documents, comparisons, panel, index
    summary = {
        "root": str(root),
        "documents": len(results),
        "ok": sum(r["status"] == "ok" for r in results),
        "failed": sum(r["status"] != "ok" for r in results),
        "jobs": jobs,
        "scheduler": scheduler,
        "report": settings["report"],
        "wall_seconds": wall,
        "documents_wall_seconds": documents_wall,  # documents and comparisons
        "documents_per_minute": len(results) / wall * 60 if wall else None,
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
    print(  # the result: stdout
        f"batch: {summary['ok']} ok, {summary['failed']} failed; panel {panel_info['rows']} rows; index {index}; "
        f"total wall time {wall:.1f}s ({summary['documents_per_minute']:.1f} documents/min; documents "
        f"and comparisons {documents_wall:.1f}s, then panel and index)"
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
