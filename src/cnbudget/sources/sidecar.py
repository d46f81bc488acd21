"""Sidecars: the ``<file>.meta.json`` beside every registered raw file (provenance and sha256).

A sidecar is validated against its schema when it is read: it must be a JSON object, its keys
must be known ones (a misspelt key is an error naming the file and the key) and it must record
the file's sha256.
"""

import hashlib
import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import SourceError

SIDECAR_SUFFIX = ".meta.json"


class Units(BaseModel):
    model_config = ConfigDict(extra="forbid")

    default: str = "万元"
    tables: dict[str, str] = Field(default_factory=dict)  # table -> unit where it differs (11: 元)


class Sidecar(BaseModel):
    """What is known about a registered raw file: where it comes from, what it is, its sha256."""

    model_config = ConfigDict(extra="forbid")

    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    title: str | None = None
    department: str | None = None
    department_en: str | None = None
    department_code: str | None = None
    year: int | None = None
    region: str | None = None
    region_zh: str | None = None
    publisher: str | None = None
    published: str | None = None
    layout: str | None = None
    kind: Literal["budget", "final_account"] | None = None  # 部门预算 or 部门决算
    part: Literal["tables", "narrative", "whole"] | None = None  # a disclosure published in several files
    form: Literal["text", "pdf"] | None = None
    form_note: str | None = None
    pages: int | None = None
    bytes: int | None = None
    units: Units = Field(default_factory=Units)
    provenance: str | None = None  # where the bytes come from, in words
    url: str | None = None  # the public URL the bytes can be downloaded from
    mirror: str | None = None  # the file's path inside a local mirror of the sources
    licence: str | None = None  # the terms of use as the publisher states them


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


def read_sidecar(side: Path) -> Sidecar:
    """The validated sidecar at ``side``; any problem is one SourceError naming the file."""
    try:
        raw = json.loads(side.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SourceError(f"{side}: sidecar is not valid JSON ({exc})") from None
    if not isinstance(raw, dict):
        raise SourceError(f"{side}: a sidecar must be a JSON object, found {type(raw).__name__}")
    try:
        return Sidecar.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5])
        raise SourceError(f"{side}: {problems}") from None


def find_registered(folder: Path) -> list[Path]:
    """Every registered raw document under a folder (files with a sidecar)."""
    return sorted(p.with_name(p.name[: -len(SIDECAR_SUFFIX)]) for p in folder.rglob("*" + SIDECAR_SUFFIX))
