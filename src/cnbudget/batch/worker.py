"""The work on one document of a batch, and the pools of long-lived workers that do it.

A worker imports everything once (great-expectations included) and then takes documents from a
queue: extraction, tidy tables, the checks through the same great-expectations suites as
``cnbudget check``, ``checks.json``, the document's part of the panel. No notebook runs. The stages
are recorded as ``cnbudget run`` records them, so a report rendered later (by the batch without
``--no-report``, or by ``cnbudget run SOURCE --out DIR/<key>``) reuses them.

The same function runs in a local process pool (``--jobs N``) or on a Dask distributed cluster
(``--scheduler local`` or ``ADDRESS``): both give a ``concurrent.futures.Executor``.
"""

import contextlib
import multiprocessing
import time
import traceback
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path

from ..errors import CnbudgetError


def warm() -> None:
    """Import what a document needs, once per worker process."""
    import cnbudget.checks.gx  # noqa: F401 - the slow one
    import cnbudget.checks.run  # noqa: F401
    import cnbudget.tables.outputs  # noqa: F401
    import cnbudget.tables.panel  # noqa: F401


def process_document(key: str, files: list[str], out: str, lang: str, report: bool, pdf: bool) -> dict:
    """Tables, checks and panel part of one document into ``out/key`` (and its report when
    ``report``); never raises: a failure is recorded with its reason."""
    from ..checks.records import is_material_failure
    from ..report.pipeline import run_params, run_pipeline, tables_and_checks
    from ..sources import load_source
    from ..tables.extract import extract
    from ..tables.panel import long_frame
    from ..workspace import locked

    started = time.perf_counter()
    target = Path(out) / key
    paths = [Path(f) for f in files]
    source = paths[0] if len(paths) == 1 else paths
    result = {"key": key, "files": files, "out": str(target), "status": "ok", "error": None}
    try:
        with locked(target):
            loaded = [load_source(p) for p in paths]
            processed = target / "data"
            ex = extract(source)
            params = run_params(paths, loaded, target, processed, lang, None)
            # Data Docs are HTML: built only for reports
            checks = tables_and_checks(ex, source, loaded, target, processed, params, data_docs=report)
        result["summary"] = checks["summary"]
        result["source"] = checks["source"]
        material = [c for c in checks["checks"] if is_material_failure(c)]
        result["headline"] = [c["description"] for c in material[:3]]
        part = target / "panel_part.pkl"
        long_frame(ex, key).to_pickle(part)  # Decimal amounts kept exact between processes
        result["panel"] = str(part)
        result["extract_check_seconds"] = time.perf_counter() - started
        if report:
            run = run_pipeline(source, target, lang=lang, pdf=pdf, quiet=True)  # reuses extract and checks
            result["timings"] = run["timings"]
    except CnbudgetError as exc:
        result.update(status="failed", error=str(exc))
    except Exception as exc:  # noqa: BLE001 - one broken document must not stop the batch
        result.update(status="failed", error=f"{type(exc).__name__}: {exc}", traceback=traceback.format_exc(limit=6))
    result["seconds"] = time.perf_counter() - started
    return result


def compare_pair(prev: dict, cur: dict, out: str, lang: str, report: bool) -> dict:
    """Year over year for one department: ``compare.json`` (and with ``report``, the notebook
    ``04_compare`` and ``compare.html``) in ``out/compare/<region>-<department>-<y0>-<y1>``."""
    import json

    from ..report.pipeline import render_html, run_notebook
    from ..tables.extract import extract
    from .compare import compare, save

    key = f"{cur['region']}-{cur['key'].split('/')[-1]}-{prev['year']}-{cur['year']}"
    target = Path(out) / "compare" / key
    record = {"key": key, "previous": prev["key"], "current": cur["key"], "department": cur.get("department"),
              "years": [prev["year"], cur["year"]]}  # fmt: skip
    one = lambda files: files[0] if len(files) == 1 else files  # noqa: E731
    try:
        target.mkdir(parents=True, exist_ok=True)
        if report:
            params = {"previous": one(prev["files"]), "current": one(cur["files"]), "out_dir": str(target.resolve()),
                      "lang": lang}  # fmt: skip
            executed = run_notebook("04_compare.ipynb", target, params)
            title = f"{cur.get('department')} {prev['year']}→{cur['year']}"
            render_html(executed, target / "compare.html", title, lang)
            record["html"] = str(target / "compare.html")
        else:
            save(compare(extract(one(prev["files"])), extract(one(cur["files"]))), target)
        record.update(json.loads((target / "compare.json").read_text(encoding="utf-8"))["summary"])
        record["status"] = "ok"
    except CnbudgetError as exc:
        record.update(status="failed", error=str(exc))
    except Exception as exc:  # noqa: BLE001 - one broken pair must not stop the batch
        record.update(status="failed", error=f"{type(exc).__name__}: {exc}")
    return record


@contextlib.contextmanager
def executor(jobs: int, scheduler: str | None = None):
    """Long-lived warm workers: a local process pool, or a Dask cluster (``local`` starts one
    here with ``jobs`` single-threaded worker processes; any other value is a scheduler's address)."""
    if scheduler is None:
        # spawned, not forked: a fork of a process that runs threads (a kernel client, a notebook
        # server, pytest) can hang in the child; a fresh interpreter is safe and costs no more here,
        # since every worker imports great-expectations anyway
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=jobs, initializer=warm, mp_context=spawn) as pool:
            yield pool
        return
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise CnbudgetError(
            "--scheduler needs Dask's distributed scheduler: pip install 'cnbudget[dask]' (dask[distributed])"
        ) from None
    cluster = None
    try:
        if scheduler == "local":
            cluster = LocalCluster(
                n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=50
            )
            client = Client(cluster)
        else:
            client = Client(scheduler, timeout=30)
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise CnbudgetError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from None
    try:
        client.run(warm)
        pool: Executor = client.get_executor(pure=False)
        yield pool
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
