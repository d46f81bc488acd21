"""`cnbudget run`: papermill executes the notebooks, nbconvert renders HTML, Chromium prints the PDF."""

import contextlib
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from importlib.resources import as_file
from pathlib import Path

from .. import __version__
from ..background import in_background, settle
from ..errors import CnbudgetError
from ..logs import detail, progress
from ..resources import packaged
from ..sources import load_source, sha256_of
from .templates import Markup, render, stylesheet

STAGES = (("extract", "01_extract.ipynb"), ("checks", "02_checks.ipynb"), ("report", "03_report.ipynb"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
    # print what the page is, nothing more: every request other than a local file goes to a proxy
    # that does not exist (loopback included), so nothing is fetched; scripts are refused by the
    # page's own Content-Security-Policy (templates/page.html.j2; Chromium's scriptEnabled=false
    # setting stops headless printing altogether)
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
    "--disable-extensions",
]
PRINT_TIMEOUT = 120  # seconds


NOTEBOOKS = packaged("report", "notebooks")
FINGERPRINTED = (".py", ".toml", ".css", ".ipynb", ".json", ".csv")


def _files(node, prefix: str = ""):
    """(relative name, file) of every file under a packaged folder, sorted by name."""
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        if child.is_dir():
            if child.name != "__pycache__":
                yield from _files(child, f"{prefix}{child.name}/")
        elif child.name.endswith(FINGERPRINTED):
            yield prefix + child.name, child


def code_fingerprint() -> str:
    """Hash of the package (code, layouts, notebooks, suites, reference data) and of the versions of
    Python and of the libraries the stages run on: a changed pipeline invalidates cached stages."""
    digest = hashlib.sha256(__version__.encode())
    for name, file in _files(packaged()):
        digest.update(name.encode())
        digest.update(file.read_bytes())
    digest.update(json.dumps(dependency_versions(), sort_keys=True).encode())
    return digest.hexdigest()


DEPENDENCIES = (
    "pandas", "pyarrow", "pypdfium2", "great-expectations", "papermill", "nbconvert", "nbformat", "ipykernel",
    "matplotlib", "pydantic", "jinja2", "openpyxl", "pillow",
)  # fmt: skip


def dependency_versions() -> dict[str, str]:
    """Python's version and the installed version of each library a stage's output depends on."""
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": platform.python_version()}
    for name in DEPENDENCIES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "absent"
    return found


@contextlib.contextmanager
def _kernel_log(path: Path):
    """Send file descriptor 2 (inherited by the kernel process) to ``path`` while a notebook runs."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(path, "ab") as fh:
        os.dup2(fh.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def run_notebook(name: str, out: Path, params: dict, kernel: "Kernel | None" = None) -> Path:
    """Execute a packaged notebook (by name) or a notebook file (by path) into ``out/notebooks``,
    in ``kernel`` when given (shared by the notebooks of one run), else in a kernel of its own."""
    import papermill as pm

    target = out / "notebooks" / Path(name).name
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.stem}.partial.ipynb")  # renamed into place only on success
    source = Path(name) if Path(name).is_absolute() else NOTEBOOKS / name
    try:
        with (
            as_file(source) as notebook,
            _kernel_log(target.parent / "kernel.log"),
        ):  # the kernel's chatter goes to a log
            shared = {"km": kernel.manager()} if kernel is not None else {}
            pm.execute_notebook(
                str(notebook),
                str(partial),
                parameters=params,
                kernel_name="python3",
                progress_bar=False,
                cwd=str(out),
                **shared,
            )
        os.replace(partial, target)
    except pm.PapermillExecutionError as exc:
        os.replace(partial, target)  # kept for reading, but no cached state points to it
        raise CnbudgetError(
            f"notebook {name} failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue} (executed notebook kept at "
            f"{target})"
        ) from None
    except CnbudgetError:
        raise
    except Exception as exc:  # noqa: BLE001 - e.g. no kernel registered
        raise CnbudgetError(f"notebook {name} could not run: {type(exc).__name__}: {exc}") from None
    return target


class Kernel:
    """One Jupyter kernel for the notebooks of a run, started on first use (its messages go to
    ``notebooks/kernel.log``; ``env`` is added to its environment) and shut down by ``close``."""

    def __init__(self, out: Path, env: dict | None = None):
        self.out, self.env, self.km = out, env or {}, None

    def manager(self):
        if self.km is None:
            from jupyter_client.manager import AsyncKernelManager
            from jupyter_core.utils import run_sync

            logs = self.out / "notebooks"
            logs.mkdir(parents=True, exist_ok=True)
            km = AsyncKernelManager(kernel_name="python3")
            try:
                with _kernel_log(logs / "kernel.log"):
                    run_sync(km.start_kernel)(cwd=str(self.out.resolve()), env={**os.environ, **self.env})
            except Exception as exc:  # noqa: BLE001 - no python3 kernel registered, and the like
                raise CnbudgetError(
                    f"the notebook kernel could not start ({type(exc).__name__}: {exc}); register one with "
                    "`python -m ipykernel install --sys-prefix --name python3` (make setup)"
                ) from None
            self.km = km
        return self.km

    def close(self) -> None:
        if self.km is not None:
            from jupyter_core.utils import run_sync

            with contextlib.suppress(Exception):
                run_sync(self.km.shutdown_kernel)(now=True)
            self.km = None

    def close_in_background(self) -> threading.Thread:
        """Shut the kernel down while the parent goes on (join the thread before exiting)."""
        thread = threading.Thread(target=self.close, name="cnbudget-kernel-shutdown")
        thread.start()
        return thread


def _load_nbconvert() -> threading.Thread:
    """Import nbconvert and render an empty notebook in the background (templates and caches
    loaded): the parent process only waits while the notebooks run, and the HTML then renders at
    once. The Jupyter stack that nbconvert shares with papermill (nbclient, jupyter_client) is
    imported first, here, so that the two threads never import it at once (see ``background``)."""
    import papermill  # noqa: F401
    from jupyter_client.manager import AsyncKernelManager  # noqa: F401

    def load() -> None:
        import nbformat
        from nbconvert import HTMLExporter

        with contextlib.suppress(Exception):  # a warm-up: the real rendering reports its own errors
            HTMLExporter(template_name="basic").from_notebook_node(nbformat.v4.new_notebook())

    return in_background("nbconvert-import", load)


def render_html(executed: Path, html_path: Path, title: str, lang: str = "zh") -> Path:
    """nbconvert without code cells, inside a self-contained page (no CDN, CSS inlined)."""
    settle()  # never import nbconvert while the warm-up is importing it
    import nbformat
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.remove_cell_tags = ["notebook-only", "parameters", "injected-parameters"]
    config.TagRemovePreprocessor.enabled = True
    exporter = HTMLExporter(
        config=config, template_name="basic", exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
    )
    body, _ = exporter.from_notebook_node(nbformat.read(str(executed), as_version=4))
    html_lang = "en" if lang == "en" else "zh-CN"
    page = render("page.html.j2", lang=html_lang, title=title, css=stylesheet(), extra_css="", body=Markup(body))
    partial = html_path.with_name(f".{html_path.stem}.partial.html")
    partial.write_text(page, encoding="utf-8")
    os.replace(partial, html_path)
    return html_path


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    raise CnbudgetError("no Chromium found for the PDF; install Debian's chromium (make system) or use --no-pdf")


def print_pdf(html_path: Path, pdf_path: Path) -> Path:
    """Print ``html_path`` with headless Chromium (no script, no network) to ``pdf_path``, which is
    replaced only once the PDF is complete."""
    partial = pdf_path.with_name(f".{pdf_path.stem}.partial.pdf")
    partial.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="cnbudget-chromium-") as profile:
        cmd = [
            chromium(),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={partial}",
            html_path.resolve().as_uri(),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=PRINT_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise CnbudgetError(
                f"Chromium did not print {html_path} within {PRINT_TIMEOUT} s; the HTML report is there, "
                "rerun with --no-pdf to skip the PDF"
            ) from None
    if proc.returncode != 0 or not partial.exists() or partial.stat().st_size == 0:
        partial.unlink(missing_ok=True)
        last = proc.stderr.strip().splitlines()[-1:] or [""]
        raise CnbudgetError(f"Chromium could not print {html_path} to PDF (exit {proc.returncode}): {last[0][:300]}")
    os.replace(partial, pdf_path)
    return pdf_path


def _stage_outputs(stage: str, out: Path, processed: Path) -> list[Path]:
    """The files a stage writes: what must be there, unchanged, for the stage to be reused. The
    executed notebooks of extract and checks are kept for reading but are not among them (a batch
    run with ``--no-report`` makes the same files without notebooks); the report stage's output is
    its executed notebook."""
    if stage == "report":  # the executed notebook and the charts it wrote as PNG and SVG
        return [out / "notebooks" / "03_report.ipynb", *sorted((out / "charts").glob("*.*"))]
    if stage == "extract":
        listed = [processed / "datapackage.json"]
        try:
            package = json.loads(listed[0].read_text(encoding="utf-8"))
            listed += [processed / r["path"] for r in package.get("resources", [])]
        except (OSError, ValueError, KeyError, TypeError):
            pass
        return listed
    if stage == "checks":
        listed = [out / "checks.json", out / "findings.csv", out / "findings.xlsx", out / "tables.xlsx"]
        try:
            checks = json.loads(listed[0].read_text(encoding="utf-8"))
            listed += [out / e["image"] for c in checks["checks"] for e in c.get("evidence", [])]
            listed += [out / checks["data_docs"]] if checks.get("data_docs") else []
        except (OSError, ValueError, KeyError, TypeError):
            pass
        return listed
    return []


def _fingerprint(files: list[Path], root: Path) -> dict[str, str] | None:
    """{path: sha256} of a stage's files; None when one is missing."""
    found = {}
    for path in files:
        if not path.is_file():
            return None
        found[os.path.relpath(path, root)] = sha256_of(path.read_bytes())
    return found


class _State:
    """``out/.cnbudget-run.json``: for each stage, the key of its inputs and the hash of each file it
    wrote. A stage is reused only when both match; its entry is removed before it runs again, so a
    run stopped half-way leaves nothing that looks finished."""

    def __init__(self, out: Path, force: bool):
        self.path = out / ".cnbudget-run.json"
        self.root = out
        try:
            self.state = {} if force else json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.state = {}
        if not isinstance(self.state, dict):
            self.state = {}

    def _save(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.state, indent=1), encoding="utf-8")
        os.replace(tmp, self.path)

    def fresh(self, stage: str, key: str, files: list[Path]) -> bool:
        entry = self.state.get(stage)
        return (
            isinstance(entry, dict) and entry.get("key") == key and entry.get("files") == _fingerprint(files, self.root)
        )

    def start(self, stage: str) -> None:
        self.state.pop(stage, None)
        self._save()

    def done(self, stage: str, key: str, files: list[Path]) -> None:
        self.state[stage] = {"key": key, "files": _fingerprint(files, self.root)}
        self._save()


def _warnings(processed: Path) -> list[str]:
    """The extraction's warnings (missing or repeated tables, cells not read as printed)."""
    try:
        package = json.loads((processed / "datapackage.json").read_text(encoding="utf-8"))
        return list(package["cnbudget"].get("warnings", []))
    except (OSError, ValueError, KeyError, TypeError):
        return []


def run_params(paths: list[Path], loaded: list, out: Path, processed: Path, lang: str, layout: str | None) -> dict:
    """The notebooks' parameters for one disclosure (what ``cnbudget run`` injects)."""
    meta = loaded[0].meta
    return {
        "source": str(paths[0].resolve()) if len(paths) == 1 else [str(p.resolve()) for p in paths],
        "year": meta.get("year"),
        "department": meta.get("department"),
        "out_dir": str(out.resolve()),
        "processed_dir": str(processed.resolve()),
        "lang": lang,
        "layout": layout,
    }


def stage_keys(stages, loaded: list, params: dict) -> dict[str, str]:
    """What each stage's outputs depend on: the sources (sha256 and sidecar), the parameters (the
    language only from the report on), and the code fingerprint (hashed once for all the stages)."""
    fingerprint = code_fingerprint()
    keys = {}
    for stage in stages:
        used = {k: v for k, v in params.items() if k != "lang" or stage not in ("extract", "checks")}
        inputs = [[s.sha256 for s in loaded], [s.meta for s in loaded], used, fingerprint]
        keys[stage] = hashlib.sha256(json.dumps(inputs, sort_keys=True, default=str).encode()).hexdigest()
    return keys


def record_stages(out: Path, processed: Path, loaded: list, params: dict, stages=("extract", "checks")) -> None:
    """Record stages done outside the notebooks (a ``--no-report`` batch) so that ``cnbudget run``
    into the same folder reuses them."""
    state = _State(out, force=False)
    for stage, key in stage_keys(stages, loaded, params).items():
        state.done(stage, key, _stage_outputs(stage, out, processed))


def _render(state: "_State", key: str, out: Path, title: str, lang: str, pdf: bool, say, timings: dict):
    """The HTML (nbconvert) and PDF (Chromium) stages, each reused when unchanged."""
    html_path, pdf_path = out / "report.html", out / "report.pdf"
    t0 = time.perf_counter()
    if state.fresh("html", key, [html_path]):
        say(f"[4/5] html: unchanged, reusing {html_path}")
    else:
        say("[4/5] html: nbconvert (no code cells) …")
        state.start("html")
        render_html(out / "notebooks" / "03_report.ipynb", html_path, title, lang)
        state.done("html", key, [html_path])
    timings["html"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    if pdf:
        if state.fresh("pdf", key, [pdf_path]):
            say(f"[5/5] pdf: unchanged, reusing {pdf_path}")
        else:
            say("[5/5] pdf: headless Chromium --print-to-pdf …")
            state.start("pdf")
            print_pdf(html_path, pdf_path)
            state.done("pdf", key, [pdf_path])
    timings["pdf"] = time.perf_counter() - t0
    return html_path, pdf_path


def tables_and_checks(ex, source, loaded: list, out: Path, processed: Path, params: dict, data_docs=True) -> dict:
    """The extract and checks stages done in this process, without notebooks (the API, a batch
    worker): the tidy tables into ``processed``, ``checks.json`` into ``out``, both recorded so that
    ``cnbudget run`` into ``out`` with the same parameters reuses them. Returns the checks."""
    from ..checks.run import run_checks
    from ..tables.outputs import write_outputs

    write_outputs(ex, processed)
    result = run_checks(source, out, extraction=ex, data_docs=data_docs)
    record_stages(out, processed, loaded, params)
    return result


def stages_fresh(out: Path, processed: Path, loaded: list, params: dict, stages=("extract", "checks")) -> bool:
    """Whether ``cnbudget run`` into ``out`` would reuse every one of ``stages`` (the API's test)."""
    state = _State(out, force=False)
    keys = stage_keys(stages, loaded, params)
    return all(state.fresh(stage, key, _stage_outputs(stage, out, processed)) for stage, key in keys.items())


def run_pipeline(
    source: Path | list[Path],
    out: Path,
    lang: str = "zh",
    layout: str | None = None,
    force: bool = False,
    pdf: bool = True,
    quiet: bool = False,
    processed: Path | None = None,
    overlap: bool = True,
) -> dict:
    """Extract, check and report one disclosure into ``out``; the tidy tables go to ``processed``
    (default ``out/data``). One run at a time per ``out`` (a second one stops with a one-line error).

    The notebooks run in one kernel; when the checks stage has to run, a great-expectations worker
    is started first, so that its slow import overlaps with starting the kernel and extracting.
    ``overlap=False`` runs each notebook in a kernel of its own, great-expectations imported in the
    checks kernel (the way of cnbudget 0.2; kept for the benchmark's side-by-side)."""
    from ..checks.gx_worker import Worker
    from ..workspace import locked

    started = time.perf_counter()
    say = (lambda _message: None) if quiet else progress
    paths = source if isinstance(source, list) else [source]
    loaded = [load_source(p) for p in paths]  # verifies the sha256 of registered files before anything runs
    src, source = loaded[0], paths[0]
    processed = processed or out / "data"
    params = run_params(paths, loaded, out, processed, lang, layout)
    detail(f"parameters: {params}")
    timings = {}
    with locked(out), contextlib.ExitStack() as stack:
        state = _State(out, force)
        keys = stage_keys([*(stage for stage, _ in STAGES), "html"], loaded, params)
        todo = [(i, stage, notebook, keys[stage]) for i, (stage, notebook) in enumerate(STAGES, start=1)]
        fresh = {stage: state.fresh(stage, key, _stage_outputs(stage, out, processed)) for _, stage, _, key in todo}
        worker = None
        if not fresh["checks"] and overlap:
            (out / "notebooks").mkdir(parents=True, exist_ok=True)
            worker = stack.enter_context(Worker(log=out / "notebooks" / "kernel.log"))
        kernel = Kernel(out, worker.env if worker else None) if overlap else None
        stack.callback(kernel.close if kernel else lambda: None)
        for i, stage, notebook, key in todo:
            t0 = time.perf_counter()
            if fresh[stage]:
                say(f"[{i}/{len(STAGES) + 2}] {stage}: inputs, parameters and outputs unchanged, reusing them")
                timings[stage] = 0.0
            else:
                say(f"[{i}/{len(STAGES) + 2}] {stage}: running notebooks/{notebook} with papermill …")
                state.start(stage)
                run_notebook(notebook, out, params, kernel)
                if not (stage == "checks" and worker is not None):  # its Data Docs are still being built
                    state.done(stage, key, _stage_outputs(stage, out, processed))
                timings[stage] = time.perf_counter() - t0
                say(f"    done in {timings[stage]:.1f}s")
            if stage == "extract":
                for warning in _warnings(processed):
                    say(f"warning: {warning}")
            if stage == "checks" and overlap:
                _load_nbconvert()  # while the report notebook runs
        if kernel is not None:
            stack.callback(kernel.close_in_background().join)
        if worker is not None:  # the worker built the Data Docs while the report ran
            worker.finish()
            state.done("checks", todo[1][3], _stage_outputs("checks", out, processed))
            worker.close()
        html_path, pdf_path = _render(
            state, keys["html"], out, src.meta.get("title") or source.name, lang, pdf, say, timings
        )
    total = time.perf_counter() - started
    split = ", ".join(f"{k} {v:.1f}s" for k, v in timings.items())
    say(f"done: total {total:.1f}s ({split})")
    return {"html": html_path, "pdf": pdf_path if pdf else None, "timings": timings, "total": total}
