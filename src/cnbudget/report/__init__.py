"""The report: checks and tables in, an annotated HTML and PDF report out.

HTML sections and charts that the report notebook displays, the wording in Chinese and English,
and the notebook pipeline: papermill executes ``notebooks/`` with parameters, nbconvert renders
HTML without code, headless Chromium prints the PDF.
"""

import importlib
import threading

from ..background import in_background

_WARM = ("cnbudget.report.charts", "cnbudget.report.sections", "cnbudget.report.findings", "cnbudget.report.coverage")


def warm_up() -> threading.Thread | None:
    """Import the report's libraries (matplotlib, the sections) in a background thread while the
    checks wait for the great-expectations worker, so that the report notebook (same kernel) finds
    them loaded (it calls ``background.settle()`` before its imports). Without a worker (``CNBUDGET_GX_WORKER``
    unset) nothing starts: this process imports great-expectations itself, and would only wait."""
    from ..checks.gx_worker import named_worker

    if named_worker() is None:
        return None

    def load() -> None:
        for name in _WARM:
            importlib.import_module(name)

    return in_background("report-warm-up", load)
