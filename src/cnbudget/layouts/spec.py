"""Layout specs: which tables a disclosure has, how to find them and what their columns are.

A layout is data (``layouts/<name>/tables.toml``, ``relations.toml`` and ``report.toml``); the
engine is shared. Each file is validated against its schema when it loads: an unknown or
misspelt key is an error naming the file and the key.
"""

import re
import tomllib
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from ..errors import LayoutError
from ..resources import packaged
from ..words import Text, field, term
from .inherit import resolved
from .relations import RelationsSpec
from .report import ReportSpec

LAYOUTS = packaged("layouts")
PARSERS = ("grid", "two_sided", "side_by_side", "project_performance", "overall_performance")


class Column(BaseModel):
    """One printed column: its name in the tidy table, kind and printed label."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    kind: Literal["code_name", "code", "code_part", "text", "label", "amount"]
    label: str
    label_en: str = ""  # its English (default: the glossary's words for the label)
    code: str | None = None  # the classification a code belongs to (function, economic, unit, …)
    name_column: str | None = None  # a bare code column whose name is printed in another column
    header: tuple[str, ...] = ()  # columns_by = "header": words its header path prints (default: its label's leaf)
    optional: bool = False  # columns_by = "header": a column some documents do not print
    width: int | None = None  # code_part: digits of this part (类 3, 款 2, 项 2)


class TableSpec(BaseModel):
    """One table of the layout, found by its title, never by its printed number."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    key: str
    title_zh: str
    title_en: str = ""  # its English (default: the glossary's words for title_zh)
    title: re.Pattern  # matched against the whole title (label, year, department and owner words removed)
    header_words: tuple[str, ...] = ()  # words its header rows print (detection: same title, other table?)
    parser: Literal[PARSERS]
    columns_by: Literal["position", "header"] = "position"  # find columns where they stand, or by header
    rightmost: bool = False  # columns_by = "header": the last printed column that matches (last year's group first)
    header_rows: int = 1
    header_first: str | None = None
    columns: tuple[Column, ...] = ()
    decimals: int = 2
    unit: str | None = None
    # parser options
    body_start: re.Pattern | None = None  # PDFs: the first body row's first cell
    empty_marker: re.Pattern | None = None  # a note printed instead of rows (此表为空)
    total_label: re.Pattern | None = None  # labels of its total rows besides 合计 and 总计 (人员经费合计)
    fill_down: tuple[str, ...] = ()  # columns printed once for a group of rows
    row_levels: tuple[tuple[str, str], ...] = ()  # (level, column): the first filled column gives the level
    # summary tables: (side, item column, amount column, more amount columns…)
    sides: tuple[tuple[str | int, ...], ...] | None = None
    indicator_levels: tuple[str, ...] = ()  # performance tables: the 一级指标 names
    funds: tuple[str, ...] = ()  # overall performance table: the fund columns
    groups: tuple[tuple[str, str, str, str], ...] = ()  # side_by_side: (group, code, name, amount) columns

    @model_validator(mode="after")
    def _columns_exist(self) -> "TableSpec":
        names = {c.name for c in self.columns}
        unknown = [n for n in (*self.fill_down, *(c for _, c in self.row_levels)) if n not in names]
        if unknown:
            raise ValueError(f"table {self.id}: fill_down/row_levels name columns it does not have: {unknown}")
        return self

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"table {self.id} has no column {name!r}")

    @property
    def title_words(self) -> Text:
        """The table's title in both languages (``words.Text``)."""
        return Text(self.title_zh, self.title_en) if self.title_en else term(self.title_zh)

    def column_words(self, name: str) -> Text:
        """A column's printed header in both languages; a field the spec does not print (the
        ``amount`` of a summary table) by the words declared for that field."""
        try:
            col = self.column(name)
        except KeyError:
            return field(name)
        return Text(col.label, col.label_en) if col.label_en else term(col.label)

    @property
    def amount_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.kind == "amount"]


class TablesSpec(BaseModel):
    """``tables.toml``."""

    model_config = ConfigDict(extra="forbid")

    name: str
    description: str = ""
    default_unit: str = "万元"
    decimals: int = 2
    tables: tuple[TableSpec, ...]


class Layout(BaseModel):
    """A whole layout: its tables, relation catalogue and report sections."""

    model_config = ConfigDict(frozen=True)

    name: str
    description: str
    default_unit: str
    tables: tuple[TableSpec, ...]
    relations: RelationsSpec
    report: ReportSpec

    def table(self, table_id: str) -> TableSpec:
        for spec in self.tables:
            if spec.id == table_id:
                return spec
        raise KeyError(f"layout {self.name} has no table {table_id}")


def available_layouts() -> list[str]:
    return sorted(p.name for p in LAYOUTS.iterdir() if (p / "tables.toml").is_file())


def _where(file) -> str:
    return f"layouts/{file.parent.name}/{file.name}" if hasattr(file, "parent") else str(file)


def _toml(file) -> dict:
    try:
        return tomllib.loads(file.read_text(encoding="utf-8")) if file.is_file() else {}
    except tomllib.TOMLDecodeError as exc:
        raise LayoutError(f"{_where(file)}: not valid TOML ({exc})") from None


def _validated(model: type[BaseModel], file, defaults: dict | None = None, raw: dict | None = None) -> BaseModel:
    """Load a TOML file (or take its ``raw`` content, inheritance resolved) and validate it; any
    problem is one LayoutError naming the file and key."""
    where = _where(file)
    raw = _toml(file) if raw is None else raw
    if defaults:
        for table in raw.get("tables", []):
            for key, value in defaults.items():
                table.setdefault(key, raw.get(key, value))
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5])
        raise LayoutError(f"{where}: {problems}") from None


@cache
def load_layout(name: str) -> Layout:
    folder = LAYOUTS / name
    if not (folder / "tables.toml").is_file():
        raise LayoutError(f"unknown layout {name!r}; available: {', '.join(available_layouts())}")
    raw = resolved(name, LAYOUTS)
    tables = _validated(TablesSpec, folder / "tables.toml", defaults={"decimals": 2}, raw=raw["tables.toml"])
    relations = _validated(RelationsSpec, folder / "relations.toml", raw=raw["relations.toml"])
    report = _validated(ReportSpec, folder / "report.toml", raw=raw["report.toml"])
    return Layout(
        name=tables.name,
        description=tables.description,
        default_unit=tables.default_unit,
        tables=tables.tables,
        relations=relations,
        report=report,
    )
