"""``cnbudget fetch``: materialise every registered document into ``data/raw``.

Source documents are never committed; their sidecars are. For each sidecar whose file is not
there, the bytes are copied from a local mirror of the sources (``--from DIR``, the environment
variable ``CNBUDGET_SOURCES``, or ``../shared/sources`` beside the repository when it exists)
or downloaded from the public URL the sidecar records. Downloading and hashing are pooch's
(download to a temporary file, check the sha256, then move into place). A file that is there
already is verified, never replaced: raw files do not change.
"""

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import CnbudgetError, IntegrityError
from .sidecar import SIDECAR_SUFFIX, read_sidecar

MIRROR_VARIABLE = "CNBUDGET_SOURCES"


@dataclass
class Fetched:
    path: Path
    status: str  # present | copied | downloaded | unavailable | mismatch
    detail: str = ""


def default_mirror(project_root: Path | None) -> Path | None:
    """The local mirror to copy from: $CNBUDGET_SOURCES, else ../shared/sources beside the repository."""
    if value := os.environ.get(MIRROR_VARIABLE):
        return Path(value)
    if project_root is not None and (candidate := project_root.parent / "shared" / "sources").is_dir():
        return candidate
    return None


def _hash(path: Path) -> str:
    import pooch

    return pooch.file_hash(str(path), alg="sha256")


def _mismatch(path: Path, expected: str, actual: str, origin: str) -> IntegrityError:
    return IntegrityError(f"{path}: sha256 mismatch ({origin}): expected {expected}, actual {actual}")


def _copy(source: Path, target: Path, expected: str) -> None:
    """Copy ``source`` to ``target`` through a temporary file, keeping it only if its hash matches."""
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.name}.", delete=False) as tmp:
        partial = Path(tmp.name)
    try:
        shutil.copyfile(source, partial)
        if (actual := _hash(partial)) != expected:
            raise _mismatch(target, expected, actual, f"mirror copy {source}")
        partial.chmod(0o444)  # raw files are never edited
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def _download(url: str, target: Path, expected: str) -> None:
    import pooch

    try:
        pooch.retrieve(
            url, known_hash=f"sha256:{expected}", fname=target.name, path=str(target.parent), progressbar=False
        )
    except ValueError as exc:  # pooch: "SHA256 hash of downloaded file (…) does not match the known hash: expected …"
        raise IntegrityError(f"{target}: sha256 mismatch (download from {url}): {exc}") from None


def fetch_one(target: Path, mirror: Path | None) -> Fetched:
    """Materialise one registered file; a hash mismatch raises IntegrityError."""
    sidecar = read_sidecar(target.with_name(target.name + SIDECAR_SUFFIX))
    if target.exists():
        if (actual := _hash(target)) != sidecar.sha256:
            raise _mismatch(target, sidecar.sha256, actual, "file in data/raw")
        return Fetched(target, "present")
    if mirror is not None and sidecar.mirror and (mirror / sidecar.mirror).is_file():
        _copy(mirror / sidecar.mirror, target, sidecar.sha256)
        return Fetched(target, "copied", str(mirror / sidecar.mirror))
    if sidecar.url:
        try:
            _download(sidecar.url, target, sidecar.sha256)
        except IntegrityError:
            raise
        except Exception as exc:  # noqa: BLE001 - no network, HTTP error: the document is unavailable here
            return Fetched(target, "unavailable", f"download from {sidecar.url} failed: {type(exc).__name__}: {exc}")
        return Fetched(target, "downloaded", sidecar.url)
    where = f"not in the mirror {mirror}" if mirror is not None else "no mirror folder given"
    return Fetched(target, "unavailable", f"{where} and the sidecar records no url")


def fetch_all(folder: Path, mirror: Path | None, say=print) -> list[Fetched]:
    """Every registered file under ``folder``; one line each. A mismatch stops with an error."""
    if not folder.is_dir():
        raise CnbudgetError(f"{folder}: no such folder")
    sidecars = sorted(folder.rglob("*" + SIDECAR_SUFFIX))
    results = []
    for side in sidecars:
        target = side.with_name(side.name[: -len(SIDECAR_SUFFIX)])
        result = fetch_one(target, mirror)
        say(f"{result.status:>11}  {target}" + (f"  ({result.detail})" if result.detail else ""))
        results.append(result)
    return results
