"""`cnbudget batch DIR --out DIR`: every registered document under a folder, in parallel.

Each document runs the whole pipeline (papermill notebooks, HTML, PDF) in its own worker
process; a document that fails is recorded with its reason and the others go on. Then:
an index page, a panel dataset of every document's tables, and a year-over-year comparison
for every department with consecutive years.
"""

import html
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
from ..resources import packaged
from ..sources import SIDECAR_SUFFIX, find_registered

e = html.escape


@dataclass
class Document:
    """One disclosure: one or several registered files in one folder."""

    key: str  # folder relative to the batch root, e.g. jiangsu/2019/high-court
    files: list[Path]
    meta: dict = field(default_factory=dict)


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
                metas.append(json.loads(Path(str(f) + SIDECAR_SUFFIX).read_text(encoding="utf-8")))
            except (OSError, json.JSONDecodeError):
                metas.append({})
        meta = {k: v for m in reversed(metas) for k, v in m.items()}
        key = folder.relative_to(root).as_posix() if folder != root else folder.name
        docs.append(Document(key, files, meta))
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


def run_batch(root: Path, out: Path, jobs: int | None = None, lang: str = "zh", pdf: bool = True, compare: bool = True) -> dict:
    started = time.perf_counter()
    docs = find_documents(root)
    if not docs:
        raise CnbudgetError(f"{root}: no registered documents (a registered document has a sidecar <file>{SIDECAR_SUFFIX}); see README, 'Adding a document'")
    out.mkdir(parents=True, exist_ok=True)
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(docs)))
    print(f"batch: {len(docs)} documents under {root}, {jobs} in parallel → {out}", file=sys.stderr, flush=True)
    results: list[dict] = []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(_run_one, d.key, [str(f) for f in d.files], str(out), lang, pdf): d for d in docs}
        for future in as_completed(futures):
            result = future.result()
            result["meta"] = futures[future].meta
            results.append(result)
            status = "ok" if result["status"] == "ok" else f"FAILED: {result['error']}"
            print(f"{_bar(len(results), len(docs))} {result['key']} ({result['seconds']:.1f}s) {status}", file=sys.stderr, flush=True)
    results.sort(key=lambda r: r["key"])
    wall = time.perf_counter() - started
    panel_info = _write_panel(results, out)
    comparisons = _compare_years(results, out, lang) if compare else []
    index = write_index(results, comparisons, out, root, lang)
    summary = {
        "root": str(root),
        "documents": len(results),
        "ok": sum(r["status"] == "ok" for r in results),
        "failed": sum(r["status"] != "ok" for r in results),
        "jobs": jobs,
        "wall_seconds": wall,
        "document_seconds": {r["key"]: r["seconds"] for r in results},
        "panel_rows": panel_info["rows"],
        "comparisons": [c["key"] for c in comparisons],
    }
    (out / "batch.json").write_text(json.dumps({"summary": summary, "results": results, "comparisons": comparisons}, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    print(f"batch: {summary['ok']} ok, {summary['failed']} failed in {wall:.1f}s; panel {panel_info['rows']} rows; index {index}", file=sys.stderr, flush=True)
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
        record = {"key": key, "previous": prev["key"], "current": cur["key"], "department": cur.get("department"), "years": [prev["year"], cur["year"]], "html": str(target / "compare.html")}
        try:
            target.mkdir(parents=True, exist_ok=True)
            params = {"previous": _one_or_list(prev["files"]), "current": _one_or_list(cur["files"]), "out_dir": str(target.resolve()), "lang": lang}
            executed = run_notebook("04_compare.ipynb", target, params)
            render_html(executed, target / "compare.html", f"{cur.get('department')} {prev['year']}→{cur['year']}")
            record.update(json.loads((target / "compare.json").read_text(encoding="utf-8"))["summary"])
            record["status"] = "ok"
        except CnbudgetError as exc:
            record.update(status="failed", error=str(exc))
        comparisons.append(record)
    return comparisons


def _one_or_list(files: list[str]):
    return files[0] if len(files) == 1 else files


def write_index(results: list[dict], comparisons: list[dict], out: Path, root: Path, lang: str) -> Path:
    zh = lang == "zh"
    rows = []
    for r in results:
        meta = r.get("meta", {})
        link = Path(r["key"]) / "report.html"
        if r["status"] == "ok":
            s = r["summary"]
            status = f'<span class="ok">{"已完成" if zh else "done"}</span>'
            checks = f"{s['total']} {'项' if zh else 'checks'} · {s['failed']} {'项不一致' if zh else 'disagree'} ({'实质性' if zh else 'material'} {s['material']}, {'轻微' if zh else 'minor'} {s['minor']})"
            heads = "".join(f"<li>{e(h)}</li>" for h in r.get("headline", [])) or f"<li>{'无实质性不一致' if zh else 'no material disagreement'}</li>"
            report = f'<a href="{e(link.as_posix())}">HTML</a> · <a href="{e((Path(r["key"]) / "report.pdf").as_posix())}">PDF</a> · <a href="{e((Path(r["key"]) / "checks.json").as_posix())}">checks.json</a>'
        else:
            status = f'<span class="failed">{"失败" if zh else "failed"}</span>'
            checks, heads, report = "—", f"<li>{e(r['error'] or '')}</li>", "—"
        rows.append(
            f"<tr><td>{e(str(meta.get('region_zh') or meta.get('region') or ''))}</td><td>{e(str(meta.get('department') or r['key']))}</td><td>{e(str(meta.get('year') or ''))}</td>"
            f"<td>{e(str(meta.get('layout') or ''))}</td><td>{status}<br><small>{r['seconds']:.1f}s</small></td><td>{checks}<ul>{heads}</ul></td><td>{report}</td></tr>"
        )
    comp_rows = []
    for c in comparisons:
        if c.get("status") == "ok":
            link = Path("compare") / c["key"] / "compare.html"
            text = f"{c.get('checked', 0)} {'项说明中的同比变化已核对' if zh else 'stated changes checked'}, {c.get('disagree', 0)} {'项不一致' if zh else 'disagree'} ({'实质性' if zh else 'material'} {c.get('material', 0)}, {'轻微' if zh else 'minor'} {c.get('minor', 0)})"
            comp_rows.append(f'<tr><td>{e(str(c["department"]))}</td><td>{c["years"][0]} → {c["years"][1]}</td><td>{e(text)}</td><td><a href="{e(link.as_posix())}">HTML</a></td></tr>')
        else:
            comp_rows.append(f'<tr><td>{e(str(c["department"]))}</td><td>{c["years"][0]} → {c["years"][1]}</td><td class="failed">{e(c.get("error", ""))}</td><td>—</td></tr>')
    title = "批量运行：文件索引" if zh else "Batch run: index of documents"
    head = ["地区", "部门", "年度", "布局", "状态", "核对结果与主要发现", "报告"] if zh else ["Region", "Department", "Year", "Layout", "Status", "Checks and headline findings", "Report"]
    chead = ["部门", "年度", "说明中的同比变化", "比较报告"] if zh else ["Department", "Years", "Stated year-on-year changes", "Comparison"]
    panel = "面板数据（所有文件的全部金额，长格式）" if zh else "Panel dataset (every amount of every document, long format)"
    css = packaged("report", "style.css").read_text(encoding="utf-8")
    page = (
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if zh else "en"}"><head><meta charset="utf-8"><title>{title}</title><style>{css}'
        "td ul{margin:.2em 0 0 1em;padding:0}</style></head><body>"
        f"<h1>{title}</h1><p>{e(str(root))} · {len(results)} {'个文件' if zh else 'documents'} · {time.strftime('%Y-%m-%d %H:%M')}</p>"
        f"<table><thead><tr>{''.join(f'<th>{h}</th>' for h in head)}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"<h2>{'逐年比较' if zh else 'Year over year'}</h2>"
        + (f"<table><thead><tr>{''.join(f'<th>{h}</th>' for h in chead)}</tr></thead><tbody>{''.join(comp_rows)}</tbody></table>" if comp_rows else f"<p>{'没有同一部门的相邻年度' if zh else 'no department with consecutive years'}</p>")
        + f'<h2>{panel}</h2><p><a href="panel/panel.parquet">panel.parquet</a> · <a href="panel/panel.csv">panel.csv</a> · <a href="panel/datapackage.json">datapackage.json</a></p></body></html>\n'
    )
    path = out / "index.html"
    path.write_text(page, encoding="utf-8")
    return path
