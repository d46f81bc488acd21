"""The generic reader's words (``layouts/generic/words.toml``) and the layout it builds at run time.

No layout fits a document from a province nobody has written a layout for. The generic reader
then takes each ruled table as printed: a spec is inferred per table from the words its header
prints (``tables.generic``), and the relations are those that hold in any budget table
(``tables.generic_relations``). Both are ordinary ``TableSpec`` and relation records, so the
rest of the pipeline (checks, great-expectations, report) runs on them unchanged.
"""

import re
from functools import cache

from pydantic import BaseModel, ConfigDict

from .relations import RelationsSpec
from .report import ReportSpec
from .spec import LAYOUTS, Layout, TableSpec, _validated

NAME = "generic"


class _Words(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ColumnWords(_Words):
    code: tuple[str, ...]
    code_parts: dict[str, int]
    ignore: tuple[str, ...]
    total_label: re.Pattern
    unnamed: str


class Classification(_Words):
    name: str
    header: tuple[str, ...]
    leading: str  # the first digit of its codes
    lengths: tuple[int, ...]  # the digits of its levels (类 3, 款 5, 项 7)
    label: str
    label_en: str


class CheckWords(_Words):
    column_total: str
    hierarchy: str
    same_code: str
    balance: str


class BalanceWords(_Words):
    pairs: tuple[tuple[str, str], ...]


class GenericWords(_Words):
    """``layouts/generic/words.toml``."""

    description: str
    default_unit: str = "万元"
    columns: ColumnWords
    classification: tuple[Classification, ...]
    levels: dict[int, str]
    levels_en: dict[int, str]
    checks: CheckWords
    checks_en: CheckWords
    balance: BalanceWords

    def classification_named(self, name: str) -> Classification:
        return next(c for c in self.classification if c.name == name)


@cache
def generic_words() -> GenericWords:
    return _validated(GenericWords, LAYOUTS / NAME / "words.toml")


def generic_layout(tables: list[TableSpec], relations: RelationsSpec) -> Layout:
    """The layout of one document read generically: its own tables, the layout-free relations."""
    words = generic_words()
    return Layout(
        name=NAME,
        description=words.description,
        default_unit=words.default_unit,
        tables=tuple(tables),
        relations=relations,
        report=ReportSpec(),
    )
