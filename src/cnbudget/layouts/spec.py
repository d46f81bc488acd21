"""Layout specs: which tables a disclosure has, how to find them and what their columns are.

A layout is data (``layouts/<name>/tables.toml``, ``relations.toml`` and ``report.toml``); the
engine is shared.
"""

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache

from ..errors import LayoutError
from ..resources import packaged
from ..textnorm import norm

LAYOUTS = packaged("layouts")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # code_name | code | text | label | amount
    label: str
    code: str | None = None
    name_column: str | None = None


@dataclass(frozen=True)
class TableSpec:
    id: str
    key: str
    title_zh: str
    title: re.Pattern
    parser: str
    header_rows: int
    header_first: str | None
    columns: tuple[Column, ...]
    decimals: int
    unit: str | None = None
    options: dict = field(default_factory=dict, hash=False, compare=False)

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"table {self.id} has no column {name!r}")

    @property
    def amount_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.kind == "amount"]


@dataclass(frozen=True)
class Layout:
    name: str
    description: str
    default_unit: str
    tables: tuple[TableSpec, ...]
    relations: dict = field(hash=False, compare=False)
    report: dict = field(default_factory=dict, hash=False, compare=False)  # report.toml

    def table(self, table_id: str) -> TableSpec:
        for spec in self.tables:
            if spec.id == table_id:
                return spec
        raise KeyError(f"layout {self.name} has no table {table_id}")

    def match_title(self, title: str) -> TableSpec | None:
        key = norm(title)
        for spec in self.tables:
            if spec.title.search(key):
                return spec
        return None


_KNOWN = {"id", "key", "title_zh", "title", "parser", "header_rows", "header_first", "columns", "decimals", "unit"}


def _table_spec(raw: dict, defaults: dict) -> TableSpec:
    columns = tuple(Column(**c) for c in raw.get("columns", []))
    return TableSpec(
        id=raw["id"],
        key=raw["key"],
        title_zh=raw["title_zh"],
        title=re.compile(raw["title"]),
        parser=raw["parser"],
        header_rows=raw.get("header_rows", 1),
        header_first=raw.get("header_first"),
        columns=columns,
        decimals=raw.get("decimals", defaults.get("decimals", 2)),
        unit=raw.get("unit"),
        options={k: v for k, v in raw.items() if k not in _KNOWN},
    )


def available_layouts() -> list[str]:
    return sorted(p.name for p in LAYOUTS.iterdir() if (p / "tables.toml").is_file())


def _toml(file) -> dict:
    return tomllib.loads(file.read_text(encoding="utf-8")) if file.is_file() else {}


@cache
def load_layout(name: str) -> Layout:
    folder = LAYOUTS / name
    if not (folder / "tables.toml").is_file():
        raise LayoutError(f"unknown layout {name!r}; available: {', '.join(available_layouts())}")
    raw = _toml(folder / "tables.toml")
    relations = _toml(folder / "relations.toml")
    report = _toml(folder / "report.toml")
    tables = tuple(_table_spec(t, raw) for t in raw["tables"])
    return Layout(raw["name"], raw.get("description", ""), raw.get("default_unit", "万元"), tables, relations, report)
