"""`cnbudget run`: papermill executes the notebooks, nbconvert renders HTML, Chromium prints the PDF."""

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from importlib.resources import as_file
from pathlib import Path

from .. import __version__
from ..errors import CnbudgetError
from ..resources import packaged
from ..sources import load_source
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
]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


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
    """Hash of the package (code, layouts, notebooks, suites, reference data): a changed pipeline
    invalidates cached stages."""
    digest = hashlib.sha256(__version__.encode())
    for name, file in _files(packaged()):
        digest.update(name.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


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


def run_notebook(name: str, out: Path, params: dict) -> Path:
    """Execute a packaged notebook (by name) or a notebook file (by path) into ``out/notebooks``."""
    import papermill as pm

    target = out / "notebooks" / Path(name).name
    target.parent.mkdir(parents=True, exist_ok=True)
    source = Path(name) if Path(name).is_absolute() else NOTEBOOKS / name
    try:
        with (
            as_file(source) as notebook,
            _kernel_log(target.parent / "kernel.log"),
        ):  # the kernel's chatter goes to a log
            pm.execute_notebook(
                str(notebook), str(target), parameters=params, kernel_name="python3", progress_bar=False, cwd=str(out)
            )
    except pm.PapermillExecutionError as exc:
        raise CnbudgetError(
            f"notebook {name} failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue} (executed notebook kept at "
            f"{target})"
        ) from None
    except Exception as exc:  # noqa: BLE001 - e.g. no kernel registered
        raise CnbudgetError(f"notebook {name} could not run: {type(exc).__name__}: {exc}") from None
    return target


def render_html(executed: Path, html_path: Path, title: str, lang: str = "zh") -> Path:
    """nbconvert without code cells, inside a self-contained page (no CDN, CSS inlined)."""
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
    html_path.write_text(page, encoding="utf-8")
    return html_path


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    raise CnbudgetError("no Chromium found for the PDF; install Debian's chromium (make system) or use --no-pdf")


def print_pdf(html_path: Path, pdf_path: Path) -> Path:
    with tempfile.TemporaryDirectory(prefix="cnbudget-chromium-") as profile:
        cmd = [
            chromium(),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={pdf_path}",
            html_path.resolve().as_uri(),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    if proc.returncode != 0 or not pdf_path.exists() or pdf_path.stat().st_size == 0:
        raise CnbudgetError(
            f"Chromium could not print {html_path} to PDF (exit {proc.returncode}): {proc.stderr.strip()[-400:]}"
        )
    return pdf_path


def run_pipeline(
    source: Path | list[Path],
    out: Path,
    lang: str = "zh",
    layout: str | None = None,
    force: bool = False,
    pdf: bool = True,
    quiet: bool = False,
    processed: Path | None = None,
) -> dict:
    """Extract, check and report one disclosure into ``out``; the tidy tables go to ``processed``
    (default ``out/data``)."""
    started = time.perf_counter()
    say = (lambda _message: None) if quiet else log
    paths = source if isinstance(source, list) else [source]
    loaded = [load_source(p) for p in paths]  # verifies the sha256 of registered files before anything runs
    src, source = loaded[0], paths[0]
    out.mkdir(parents=True, exist_ok=True)
    params = {
        "source": str(source.resolve()) if len(paths) == 1 else [str(p.resolve()) for p in paths],
        "year": src.meta.get("year"),
        "department": src.meta.get("department"),
        "out_dir": str(out.resolve()),
        "processed_dir": str((processed or out / "data").resolve()),
        "lang": lang,
        "layout": layout,
    }
    state_path = out / ".cnbudget-run.json"
    state = json.loads(state_path.read_text()) if state_path.exists() and not force else {}
    key = hashlib.sha256(
        json.dumps([[s.sha256 for s in loaded], params, code_fingerprint()], sort_keys=True).encode()
    ).hexdigest()
    timings = {}
    for i, (stage, notebook) in enumerate(STAGES, start=1):
        t0 = time.perf_counter()
        stage_key = f"{key}:{stage}"
        if state.get(stage) == stage_key and (out / "notebooks" / notebook).exists():
            say(
                f"[{i}/{len(STAGES) + 2}] {stage}: inputs and parameters unchanged, reusing "
                f"{out / 'notebooks' / notebook}"
            )
            timings[stage] = 0.0
            continue
        say(f"[{i}/{len(STAGES) + 2}] {stage}: running notebooks/{notebook} with papermill …")
        run_notebook(notebook, out, params)
        state[stage] = stage_key
        state_path.write_text(json.dumps(state, indent=1))
        timings[stage] = time.perf_counter() - t0
        say(f"    done in {timings[stage]:.1f}s")
    html_path, pdf_path = out / "report.html", out / "report.pdf"
    t0 = time.perf_counter()
    if state.get("html") == key and html_path.exists():
        say(f"[4/5] html: unchanged, reusing {html_path}")
    else:
        say("[4/5] html: nbconvert (no code cells) …")
        render_html(out / "notebooks" / "03_report.ipynb", html_path, src.meta.get("title") or source.name, lang)
        state["html"] = key
        state_path.write_text(json.dumps(state, indent=1))
    timings["html"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    if pdf:
        if state.get("pdf") == key and pdf_path.exists():
            say(f"[5/5] pdf: unchanged, reusing {pdf_path}")
        else:
            say("[5/5] pdf: headless Chromium --print-to-pdf …")
            print_pdf(html_path, pdf_path)
            state["pdf"] = key
            state_path.write_text(json.dumps(state, indent=1))
    timings["pdf"] = time.perf_counter() - t0
    total = time.perf_counter() - started
    split = ", ".join(f"{k} {v:.1f}s" for k, v in timings.items())
    say(f"report: {html_path}" + (f" and {pdf_path}" if pdf else "") + f" — total {total:.1f}s ({split})")
    return {"html": html_path, "pdf": pdf_path if pdf else None, "timings": timings, "total": total}
