"""Progress and diagnostics go to stderr (results go to stdout), through the ``cnbudget`` logger.

The command line configures it (``-q``: warnings and errors; ``-v``: detail too). Used as a
library (tests, notebooks), progress is printed to stderr as it comes, whatever other libraries
do to the logging tree.
"""

import contextlib
import logging
import sys

LOG = logging.getLogger("cnbudget")
_CLI = {"on": False}


@contextlib.contextmanager
def command_line(verbosity: int):
    """Route progress through ``logging`` at the level ``-q``/``-v`` ask for, for one command."""
    level = {-1: logging.WARNING, 0: logging.INFO}.get(verbosity, logging.DEBUG)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    saved = (LOG.handlers[:], LOG.level, LOG.propagate)
    LOG.handlers[:], LOG.propagate = [handler], False
    LOG.setLevel(level)
    _CLI["on"] = True
    try:
        yield
    finally:
        _CLI["on"] = False
        LOG.handlers[:], LOG.propagate = saved[0], saved[2]
        LOG.setLevel(saved[1])


def progress(message: str) -> None:
    """One line of progress (a line starting with ``warning:`` is a warning; ``cnbudget:`` an error)."""
    level = logging.INFO
    if message.startswith("warning:"):
        level = logging.WARNING
    elif message.startswith("cnbudget: "):
        level = logging.ERROR
    if _CLI["on"]:
        LOG.log(level, message)
    else:
        print(message, file=sys.stderr, flush=True)


def detail(message: str) -> None:
    """A line shown only with ``-v``."""
    if _CLI["on"]:
        LOG.debug(message)
