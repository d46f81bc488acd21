"""great-expectations loaded once, in a process of its own, while other work goes on.

Importing great-expectations takes seconds (about 3 on the development machine). ``cnbudget run``
starts this worker first thing, so the import overlaps with starting the kernel and extracting the
tables; ``validate`` (called by ``run_checks``) then sends the reconciliation frames to the worker
through a Unix socket named in ``CNBUDGET_GX_WORKER`` instead of importing great-expectations in
the kernel. Without that variable (a notebook run by hand, ``cnbudget check``, a batch worker that
has great-expectations loaded already) validation happens in-process: same suites, same result.
"""

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from multiprocessing.connection import Client, Listener
from pathlib import Path

from ..background import settle
from ..errors import CnbudgetError

ENV = "CNBUDGET_GX_WORKER"  # "<socket path> <authkey hex>"


def named_worker() -> list[str] | None:
    """The worker named in this process's environment: [socket path, authkey hex], or None."""
    named = os.environ.get(ENV, "").split()
    return named if len(named) == 2 else None


def validate(frames: dict, data_docs_dir: Path | None = None, tables=None) -> dict[str, dict]:
    """Validate the frames with the suites: in the worker named by ``CNBUDGET_GX_WORKER`` when there
    is one (it may still be importing: the call waits), else in this process."""
    named = named_worker()
    if named is not None:
        try:
            connection = Client(named[0], family="AF_UNIX", authkey=bytes.fromhex(named[1]))
        except OSError:
            connection = None  # the worker is gone: validate here
        if connection is not None:
            with connection:
                connection.send(("validate", frames, str(data_docs_dir) if data_docs_dir else None, tables))
                status, payload = connection.recv()
            if status != "ok":
                raise CnbudgetError(f"great-expectations validation failed in its worker: {payload}")
            return payload
    settle()  # a background import (the report's libraries) shares packages with great-expectations
    from .gx import validate as validate_here

    return validate_here(frames, data_docs_dir, tables)


DATA_DOCS_PAGE = Path("gx", "uncommitted", "data_docs", "local_site", "index.html")  # where GX 1.x puts it


def data_docs_index(data_docs_dir: Path) -> Path:
    """The Data Docs' front page under a validation's folder (known without importing GX)."""
    return data_docs_dir / DATA_DOCS_PAGE


class Worker:
    """The parent's handle: ``with Worker() as w:`` starts the process (it listens at once, then
    imports great-expectations), ``w.env`` is what a kernel needs to reach it; leaving the block
    stops it."""

    def __init__(self, log: Path | None = None):
        self.folder = Path(tempfile.mkdtemp(prefix="cnbudget-gx-"))  # mode 0700: the socket is private
        self.address = str(self.folder / "gx.sock")
        key = secrets.token_hex(16)
        self.env = {ENV: f"{self.address} {key}"}
        stderr = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - closed in close()
        self._stderr = stderr
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cnbudget.checks.gx_worker", self.address],
            env={**os.environ, ENV: f"- {key}"},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )

    def __enter__(self) -> "Worker":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def finish(self) -> None:
        """Wait until the worker has built the Data Docs of what it validated."""
        if self.process.poll() is not None:
            return
        with Client(self.address, family="AF_UNIX", authkey=bytes.fromhex(self.env[ENV].split()[1])) as connection:
            connection.send(("finish",))
            _, problem = connection.recv()
        if problem:
            raise CnbudgetError(problem)

    def close(self) -> None:
        """Stop the worker (it keeps nothing: killing it is safe, and faster than letting an
        interpreter with great-expectations loaded tear itself down)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if self._stderr is not subprocess.DEVNULL:
            self._stderr.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def _exit_with_parent(parent: int) -> None:
    while True:
        time.sleep(1)
        if os.getppid() != parent:
            os._exit(0)


def serve(address: str, authkey: bytes) -> None:
    """Listen first (a client connecting now waits), then import great-expectations, then answer
    one request at a time until killed or the parent is gone."""
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    with Listener(address, family="AF_UNIX", authkey=authkey) as listener:
        from .gx import build_data_docs, validate_only

        pending = None  # the Data Docs of the last validation: built after its outcome is sent
        while True:
            try:
                connection = listener.accept()
            except OSError:  # a client that failed the handshake
                continue
            with connection:
                try:
                    request = connection.recv()
                except EOFError:
                    continue
                if request[0] == "finish":  # answered once the Data Docs are built
                    connection.send(("ok", pending))
                    pending = None
                    continue
                try:
                    frames, folder, tables = request[1], request[2], request[3]
                    outcome, context = validate_only(frames, Path(folder) if folder else None, tables)
                    connection.send(("ok", outcome))
                except Exception as exc:  # noqa: BLE001 - said to the client, which raises it
                    connection.send(("error", f"{type(exc).__name__}: {exc}"))
                    continue
            if folder:
                try:
                    build_data_docs(context, Path(folder))
                except Exception as exc:  # noqa: BLE001 - said at "finish"
                    pending = f"the GX Data Docs could not be built in {folder}: {type(exc).__name__}: {exc}"


if __name__ == "__main__":
    serve(sys.argv[1], bytes.fromhex(os.environ[ENV].split()[1]))
