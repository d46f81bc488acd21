"""Layout specs: which tables a disclosure has, how to find them and what their columns are.

A layout is data (``layouts/<name>/tables.toml``, ``relations.toml`` and ``report.toml``); the
engine is shared.
"""

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache

from .errors import LayoutError
from .paths import LAYOUTS
from .textnorm import norm


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
    return sorted(p.name for p in LAYOUTS.iterdir() if (p / "tables.toml").exists())


@cache
def load_layout(name: str) -> Layout:
    folder = LAYOUTS / name
    if not (folder / "tables.toml").exists():
        raise LayoutError(f"unknown layout {name!r}; available: {', '.join(available_layouts())}")
    with open(folder / "tables.toml", "rb") as fh:
        raw = tomllib.load(fh)
    relations = {}
    if (folder / "relations.toml").exists():
        with open(folder / "relations.toml", "rb") as fh:
            relations = tomllib.load(fh)
    report = {}
    if (folder / "report.toml").exists():
        with open(folder / "report.toml", "rb") as fh:
            report = tomllib.load(fh)
    tables = tuple(_table_spec(t, raw) for t in raw["tables"])
    return Layout(raw["name"], raw.get("description", ""), raw.get("default_unit", "万元"), tables, relations, report)


def detect_layout(titles: list[str]) -> Layout:
    """The layout whose table titles best cover the titles found in the document."""
    best, best_hits = None, 0
    for name in available_layouts():
        layout = load_layout(name)
        hits = sum(1 for t in titles if layout.match_title(t))
        if hits > best_hits:
            best, best_hits = layout, hits
    if best is None:
        found = "; ".join(titles) if titles else "no table titles at all"
        raise LayoutError(
            f"no known layout matches this document (layouts: {', '.join(available_layouts())}); "
            f"titles found: {found}. See README, 'Adding a layout'."
        )
    return best
