"""The report: checks and tables in, an annotated HTML and PDF report out.

HTML sections and charts that the report notebook displays, the wording in Chinese and English,
and the notebook pipeline: papermill executes ``notebooks/`` with parameters, nbconvert renders
HTML without code, headless Chromium prints the PDF.
"""

import importlib
import threading

_WARM = ("cnbudget.report.charts", "cnbudget.report.sections", "cnbudget.report.findings", "cnbudget.report.coverage")


def warm_up() -> threading.Thread:
    """Import the report's libraries (matplotlib, the sections) in a background thread: started
    while the checks wait for great-expectations, so the report notebook finds them loaded."""

    def load() -> None:
        for name in _WARM:
            importlib.import_module(name)

    thread = threading.Thread(target=load, name="cnbudget-report-warm-up", daemon=True)
    thread.start()
    return thread
