"""Background imports never race the imports of the thread that waits for them.

Two threads importing one circular package at once (jupyter_client, matplotlib) can be handed a
partially initialised module by Python's import-deadlock detection: a batch worker on CI failed
once with "cannot import name 'AsyncKernelManager' from partially initialized module". The race
is too rare to reproduce on demand, so these tests check the order that excludes it, each in a
fresh interpreter (nothing imported yet).
"""

import json
import os
import subprocess
import sys

SLOW = """
import threading, time
from cnbudget import background
finished = []
background.in_background("slow", lambda: (time.sleep(0.5), finished.append(True)))
"""


def fresh(code: str, env: dict | None = None) -> dict:
    """Run ``code`` in a new interpreter (``env`` added to this one's environment, a ``None``
    value removes the variable); it prints one JSON object."""
    environment = {**os.environ, **(env or {})}
    environment = {k: v for k, v in environment.items() if v is not None}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=environment)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_nbconvert_warm_up_starts_only_once_the_jupyter_stack_is_imported():
    seen = fresh(
        """
import json, sys, threading
seen = {}
start = threading.Thread.start
def recording_start(self):
    seen[self.name] = [m for m in ("papermill", "jupyter_client.manager", "nbclient") if m not in sys.modules]
    start(self)
threading.Thread.start = recording_start
from cnbudget import background
from cnbudget.report import pipeline
assert "papermill" not in sys.modules
thread = pipeline._load_nbconvert()
waited_for = thread in background._RUNNING
background.settle()
print(json.dumps({"missing at start": seen.get(thread.name), "waited for": waited_for, "alive": thread.is_alive()}))
"""
    )
    assert seen == {"missing at start": [], "waited for": True, "alive": False}


def test_render_html_waits_for_background_imports(tmp_path):
    notebook = tmp_path / "n.ipynb"
    seen = fresh(
        SLOW
        + f"""
import json, nbformat
import nbconvert  # loaded already: only the wait can make the rendering last 0.5 s
from pathlib import Path
from cnbudget.report import pipeline
nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("x")]), {str(notebook)!r})
pipeline.render_html(Path({str(notebook)!r}), Path({str(tmp_path / "n.html")!r}), "t")
print(json.dumps({{"rendered after the background work": finished == [True]}}))
"""
    )
    assert seen == {"rendered after the background work": True}


def test_in_process_validation_waits_for_background_imports():
    # the worker named in the environment is gone: validation falls back to this process, which
    # imports great-expectations (here a stand-in module that records what it saw)
    seen = fresh(
        SLOW
        + """
import json, sys, types
stand_in = types.ModuleType("cnbudget.checks.gx")
stand_in.validate = lambda frames, folder, tables: {"finished": list(finished)}
sys.modules["cnbudget.checks.gx"] = stand_in
from cnbudget.checks.gx_worker import validate
print(json.dumps(validate({}, None)))
""",
        {"CNBUDGET_GX_WORKER": "/nonexistent/gx.sock 00"},
    )
    assert seen == {"finished": [True]}


def test_the_report_warm_up_runs_only_beside_a_great_expectations_worker():
    code = """
import json, sys
from cnbudget import background
from cnbudget.report import _WARM, warm_up
thread = warm_up()
background.settle()
print(json.dumps({"started": thread is not None, "alive": bool(thread and thread.is_alive()),
                  "loaded": [m for m in _WARM if m in sys.modules], "all": list(_WARM)}))
"""
    alone = fresh(code, {"CNBUDGET_GX_WORKER": None})  # this kernel imports great-expectations itself
    assert (alone["started"], alone["alive"], alone["loaded"]) == (False, False, [])
    beside = fresh(code, {"CNBUDGET_GX_WORKER": "/nonexistent/gx.sock 00"})
    assert beside["started"] and not beside["alive"]  # settle() waited for it
    assert beside["loaded"] == beside["all"]
