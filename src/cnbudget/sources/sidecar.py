"""Sidecars: the ``<file>.meta.json`` beside every registered raw file (provenance and sha256)."""

import hashlib
from pathlib import Path

SIDECAR_SUFFIX = ".meta.json"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


def find_registered(folder: Path) -> list[Path]:
    """Every registered raw document under a folder (files with a sidecar)."""
    return sorted(p.with_name(p.name[: -len(SIDECAR_SUFFIX)]) for p in folder.rglob("*" + SIDECAR_SUFFIX))
