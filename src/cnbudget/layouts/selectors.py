"""Selectors: which rows of a tidy table a relation, a narrative rule or a report section means.

A selector is data (``{table = "03", column = "basic", where = {economic_code = {prefix = ["301"]}}}``),
validated when the layout loads and resolved by code: values from the document (a project name, a
narrative's item name) fill ``{name}`` placeholders as values to compare with, never as code.

A ``where`` maps a column to a condition: a plain value (equality) or a table of operators, all of
which must hold: ``eq``, ``ne``, ``in``, ``not_in``, ``prefix`` (starts with one of), ``not_prefix``,
``contains``, ``length``, ``min_length``, ``present`` (not empty). Conditions on several columns
must all hold; ``where_any`` (a list of ``where`` tables) holds when any of them does.
"""

from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from ..errors import LayoutError
from ..words import Text, field, join, say, value

Scalar = str | int | float | bool


class Condition(BaseModel):
    """What one column's value must be."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    eq: Scalar | None = None
    ne: Scalar | None = None
    in_: list[Scalar] | None = Field(None, alias="in")
    not_in: list[Scalar] | None = None
    prefix: list[str] | None = None
    not_prefix: list[str] | None = None
    contains: str | None = None
    length: int | None = None
    min_length: int | None = None
    present: bool | None = None


Where = dict[str, Scalar | Condition]


class Selector(BaseModel):
    """A figure or a set of rows of one tidy table.

    ``row``: "total" (the 合计 row), "detail" (default for sums), "any"; ``item``/``side``: an item
    of a summary table, matched on its normalised label ("A|B": printed as A or as B); ``fund``: a fund of the overall
    performance table; ``count``: number of distinct values of a column. ``key``, ``label`` and
    ``name`` say which columns group, label or name the selected rows (group and project relations,
    report sections)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    table: str
    frame: str = ""
    column: str | None = None
    row: Literal["total", "detail", "any"] | None = None
    side: str | None = None
    item: str | None = None
    fund: str | None = None
    count: str | None = None
    where: Where | None = None
    where_any: list[Where] | None = None
    key: str | None = None
    label: str | None = None
    name: str | None = None


def fill(value, params: dict | None):
    """A spec value with ``{name}`` placeholders filled from ``params`` (values, never code)."""
    if isinstance(value, str) and params and "{" in value:
        return value.format(**params)
    return value


def _as_condition(condition: Scalar | Condition | dict) -> Condition:
    if isinstance(condition, Condition):
        return condition
    return Condition.model_validate(condition) if isinstance(condition, dict) else Condition(eq=condition)


def _test(texts: list[str | None], index, test) -> pd.Series:
    """A boolean mask from a test on the text of each cell (a cell that is not text fails)."""
    return pd.Series([v is not None and bool(test(v)) for v in texts], index=index, dtype=bool)


def _column_mask(series: pd.Series, c: Condition, params: dict | None) -> pd.Series:
    mask = pd.Series(True, index=series.index)
    texts = [v if isinstance(v, str) else None for v in series]
    if c.eq is not None:
        mask &= series == fill(c.eq, params)
    if c.ne is not None:
        mask &= series != fill(c.ne, params)
    if c.in_ is not None:
        mask &= series.isin([fill(v, params) for v in c.in_])
    if c.not_in is not None:
        mask &= ~series.isin([fill(v, params) for v in c.not_in])
    if c.prefix is not None:
        mask &= _test(texts, series.index, lambda v: v.startswith(tuple(c.prefix)))
    if c.not_prefix is not None:
        mask &= ~_test(texts, series.index, lambda v: v.startswith(tuple(c.not_prefix)))
    if c.contains is not None:
        needle = fill(c.contains, params)
        mask &= _test(texts, series.index, lambda v: needle in v)
    if c.length is not None:
        mask &= _test(texts, series.index, lambda v: len(v) == c.length)
    if c.min_length is not None:
        mask &= _test(texts, series.index, lambda v: len(v) >= c.min_length)
    if c.present is not None:  # printed: neither missing nor an empty cell
        printed = series.notna() & _test(texts, series.index, lambda v: v != "").where(
            pd.Series([isinstance(v, str) for v in series], index=series.index), True
        ).astype(bool)
        mask &= printed if c.present else ~printed
    return mask


def where_mask(frame: pd.DataFrame, where: Where, params: dict | None = None) -> pd.Series:
    """Rows of ``frame`` where every condition holds (a column the table lacks is empty)."""
    mask = pd.Series(True, index=frame.index)
    for column, condition in where.items():
        series = (
            frame[column]
            if column in frame.columns
            else pd.Series([None] * len(frame), index=frame.index, dtype=object)
        )
        mask &= _column_mask(series, _as_condition(condition), params)
    return mask


def filter_rows(
    frame: pd.DataFrame, where: Where | None, where_any: list[Where] | None = None, params: dict | None = None
) -> pd.DataFrame:
    """The rows of ``frame`` that a selector's ``where`` and ``where_any`` keep."""
    if where:
        frame = frame[where_mask(frame, where, params)]
    if where_any:
        keep = pd.Series(False, index=frame.index)
        for alternative in where_any:
            keep |= where_mask(frame, alternative, params)
        frame = frame[keep]
    return frame


SUFFIXES = ("_key", "_code", "_name", "_raw")


def field_text(name: str, spec=None) -> Text:
    """What a field of a tidy table is called: the words ``layouts/words.toml`` declares for it, else
    the printed header of the column it comes from (``text_2_key`` → the header of column text_2)."""
    try:
        return field(name)
    except LayoutError:
        if spec is None:
            raise
    stem = next((name[: -len(s)] for s in SUFFIXES if name.endswith(s)), name)
    if stem in {c.name for c in spec.columns}:
        return spec.column_words(stem)
    raise LayoutError(f"field {name!r} of table {spec.id} has no words: declare it in layouts/words.toml")


# operator -> (phrase of layouts/words.toml, how its operand is said: one value, values, digits, none)
OPERATOR_WORDS = {
    "eq": ("where_eq", "value"),
    "ne": ("where_ne", "value"),
    "in_": ("where_in", "values"),
    "not_in": ("where_not_in", "values"),
    "prefix": ("where_prefix", "values"),
    "not_prefix": ("where_not_prefix", "values"),
    "contains": ("where_contains", "value"),
    "length": ("where_length", "digits"),
    "min_length": ("where_min_length", "digits"),
}


def _value_words(column: str, v, params: dict | None) -> Text:
    """A value a condition compares with, as the document prints it (a code, a name, blank)."""
    v = fill(v, params)
    if v == "":
        return say("blank")
    return Text.same(v) if str(v).isdigit() else value(column, v)


def _clause(column: str, c: Condition, params: dict | None, spec=None) -> list[Text]:
    """One column's condition in words (``words.say``), its values as the document prints them."""
    what = field_text(column, spec)
    parts = []
    for operator, (phrase, operand) in OPERATOR_WORDS.items():
        given = getattr(c, operator)
        if given is None:
            continue
        if operand == "value":
            parts.append(say(phrase, field=what, value=_value_words(column, given, params)))
        elif operand == "values":
            parts.append(say(phrase, field=what, values=join([_value_words(column, v, params) for v in given])))
        else:
            parts.append(say(phrase, field=what, digits=given))
    if c.present is not None:
        parts.append(say("where_present" if c.present else "where_absent", field=what))
    return parts


def where_words(
    where: Where | None, where_any: list[Where] | None = None, params: dict | None = None, spec=None
) -> Text:
    """A ``where`` in plain words, both languages ("经济分类科目编码以301、303开头")."""
    clauses = [p for column, cond in (where or {}).items() for p in _clause(column, _as_condition(cond), params, spec)]
    text = join(clauses, "and")
    if where_any:
        alternatives = join([where_words(w, None, params, spec) for w in where_any], "or")
        text = join([text, alternatives], "and") if clauses else alternatives
    return text
