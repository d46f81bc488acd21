"""Output folders: checked before any work starts, and locked while a run writes to them.

- ``prepare_out``: ``--out`` must be a folder cnbudget can create and write, and never a folder of
  raw documents (``data/raw`` of the repository, or a folder holding a registered document's sidecar):
  raw data is only ever read.
- ``locked``: one run at a time per output folder. A second run into the same folder stops at once
  with a one-line error naming the process that holds it (nothing is half-overwritten).
"""

import contextlib
import fcntl
import os
import tempfile
from pathlib import Path

from .errors import CnbudgetError

LOCK_NAME = ".cnbudget.lock"


def _raw_folders(sources: list[Path], raw_root: Path | None) -> list[Path]:
    """Folders that hold raw documents: the repository's data/raw, and the folder of every source
    that is registered (has a sidecar)."""
    from .sources import sidecar_path  # lazily: the command line starts without the readers

    folders = [raw_root] if raw_root is not None else []
    for source in sources:
        if source.is_file() and sidecar_path(source).is_file():
            folders.append(source.parent)
    return folders


def prepare_out(out: Path, sources: list[Path] = (), raw_root: Path | None = None) -> Path:
    """Create ``out`` (and its parents) after checking that it may be written; a one-line error
    otherwise, before any work is done."""
    for folder in _raw_folders(list(sources), raw_root):
        if out.resolve().is_relative_to(folder.resolve()):
            raise CnbudgetError(f"--out {out} is inside {folder}, a folder of raw documents, which is never written")
    if out.exists() and not out.is_dir():
        raise CnbudgetError(f"--out {out} is a file, not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".cnbudget-write-test-"):
            pass
    except OSError as exc:
        raise CnbudgetError(f"--out {out} cannot be written: {exc.strerror or exc}") from None
    return out


@contextlib.contextmanager
def locked(out: Path):
    """Hold ``out``'s lock while the block runs; another holder makes this a one-line error."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / LOCK_NAME
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held open for the lock's life
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise CnbudgetError(
                f"{out} is being written by another cnbudget run ({holder}); wait for it to finish or use another --out"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        yield out
    finally:
        handle.close()
