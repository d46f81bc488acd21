"""The report: checks and tables in, an annotated HTML and PDF report out.

HTML sections and charts that the report notebook displays, the wording in Chinese and English,
and the notebook pipeline: papermill executes ``notebooks/`` with parameters, nbconvert renders
HTML without code, headless Chromium prints the PDF.
"""

import importlib
import os
import threading

_WARM = ("cnbudget.report.charts", "cnbudget.report.sections", "cnbudget.report.findings", "cnbudget.report.coverage")
_WARMING: list[threading.Thread] = []


def warm_up() -> threading.Thread | None:
    """Import the report's libraries (matplotlib, the sections) in a background thread: started
    while the checks wait for the great-expectations worker, so the report notebook finds them
    loaded. Without a worker (``CNBUDGET_GX_WORKER`` unset) nothing starts: this process would
    import great-expectations itself, at the same time and partly the same packages (jinja2,
    pyparsing, …), and two threads importing one package at once can be handed a partially
    initialised module. Call ``ready()`` before importing the report's modules."""
    from ..checks.gx_worker import ENV

    if len(os.environ.get(ENV, "").split()) != 2:
        return None

    def load() -> None:
        for name in _WARM:
            importlib.import_module(name)

    thread = threading.Thread(target=load, name="cnbudget-report-warm-up", daemon=True)
    thread.start()
    _WARMING.append(thread)
    return thread


def ready() -> None:
    """Wait for the warm-up started by ``warm_up`` (if any) to finish its imports."""
    while _WARMING:
        _WARMING.pop().join()
