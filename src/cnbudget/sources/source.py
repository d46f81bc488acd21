"""A source file read and verified: its bytes, sha256, sidecar and (for text) its decoded text."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import IntegrityError, SourceError
from .sidecar import read_sidecar, sha256_of, sidecar_path


@dataclass
class Source:
    """A source file with its bytes' hash and what we know about it."""

    path: Path
    sha256: str
    text: str
    encoding: str
    meta: dict = field(default_factory=dict)
    registered: bool = False
    notices: list[str] = field(default_factory=list)
    kind: str = "text"  # text | pdf
    data: bytes = b""  # the file's bytes (PDF sources; text sources keep only their text)

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()


UTF16_BOMS = ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def _decode(path: Path, data: bytes) -> tuple[str, str, list[str]]:
    """A UTF-16 file by its byte-order mark; else UTF-8 first (with or without BOM), GB18030 (a
    superset of GBK) as the fallback."""
    for bom, encoding in UTF16_BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), encoding, [f"{path.name}: read as {encoding.upper()}"]
            except UnicodeDecodeError as exc:
                raise SourceError(
                    f"{path}: starts with a {encoding.upper()} byte-order mark but is not valid {encoding.upper()} "
                    f"(at byte {exc.start + len(bom)}); convert the file to UTF-8"
                ) from None
    try:
        return data.decode("utf-8-sig"), "utf-8", []
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise SourceError(
                f"{path}: cannot decode: not UTF-8 (invalid byte at offset {utf8_error.start}) "
                "and not GB18030/GBK either; convert the file to UTF-8"
            ) from None
        return text, "gb18030", [f"{path.name}: read as GB18030/GBK (not UTF-8)"]


def _sidecar_of(path: Path) -> Path | None:
    """The sidecar of a file: beside it, or beside the file a symlink points to."""
    for candidate in (sidecar_path(path), sidecar_path(path.resolve())):
        if candidate.exists():
            return candidate
    return None


def load_source(path: str | Path, verify: bool = True) -> Source:
    """Read a source file. A registered file (with a sidecar) is verified against its sha256,
    whether it is reached directly or through a symlink."""
    path = Path(path)
    if not path.exists() and sidecar_path(path).exists():
        raise SourceError(
            f"{path}: registered but not fetched (its sidecar is there): run `cnbudget fetch` (make data)"
        )
    if not path.exists():
        raise SourceError(f"{path}: no such file")
    if path.is_dir():
        raise SourceError(f"{path}: is a folder, not a budget document")
    data = path.read_bytes()
    if not data.strip():
        raise SourceError(f"{path}: the file is empty")
    digest = sha256_of(data)
    meta, registered = {}, False
    if (side := _sidecar_of(path)) is not None:
        sidecar = read_sidecar(side)
        meta, registered = json.loads(side.read_text(encoding="utf-8")), True
        if verify and sidecar.sha256 != digest:
            raise IntegrityError(
                f"{path}: sha256 mismatch: the sidecar records {sidecar.sha256}, the file has {digest}; "
                "raw files must never change: restore the original or register a new release"
            )
    if data.startswith(b"%PDF-") or path.suffix.lower() == ".pdf":
        if not data.lstrip().startswith(b"%PDF-"):
            raise SourceError(f"{path}: not a PDF (the file does not start with %PDF-); it looks like {_sniff(data)}")
        return Source(path, digest, "", "pdf", meta, registered, [], kind="pdf", data=data)
    text, encoding, notices = _decode(path, data)
    if "\x00" in text:
        raise SourceError(f"{path}: contains NUL bytes: not a text conversion of a budget document")
    return Source(path, digest, text, encoding, meta, registered, notices)


def _sniff(data: bytes) -> str:
    head = data[:64].lstrip().lower()
    for magic, what in (
        (b"pk", "a ZIP/Office file"),
        (b"<!doctype html", "an HTML page"),
        (b"<html", "an HTML page"),
        (b"\x89png", "a PNG image"),
        (b"\xff\xd8", "a JPEG image"),
    ):
        if head.startswith(magic):
            return what
    try:
        data[:4096].decode("utf-8")
        return "text"
    except UnicodeDecodeError:
        return "binary data"
