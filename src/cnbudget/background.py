"""Work in background threads that never races the imports of the thread that waits for it.

Importing a slow library while other work goes on saves seconds: the report's libraries while the
checks wait for the great-expectations worker, nbconvert while the report notebook runs. But two
threads importing one package at once can be handed a partially initialised module by Python's
import-deadlock detection (seen once on CI, in a batch worker: "cannot import name
'AsyncKernelManager' from partially initialized module 'jupyter_client.manager'"). Hence two
rules: a background import starts only once the packages it shares with the foreground are
imported, and the foreground calls ``settle()`` before importing anything a background thread may
still be importing.
"""

import threading
from collections.abc import Callable

_RUNNING: list[threading.Thread] = []


def in_background(name: str, work: Callable[[], None]) -> threading.Thread:
    """Start ``work`` in a daemon thread named ``cnbudget-<name>``, waited for by ``settle``."""
    thread = threading.Thread(target=work, name=f"cnbudget-{name}", daemon=True)
    thread.start()
    _RUNNING.append(thread)
    return thread


def settle() -> None:
    """Wait until every background work started in this process has finished."""
    while _RUNNING:
        _RUNNING.pop().join()
