"""``row_sums``: in every row, a total column against the sum of its part columns."""

from decimal import Decimal

import pandas as pd

from ...layouts.relations import RowSumsRelation
from ...layouts.selectors import filter_rows
from ...money import to_wanyuan
from ...tables import Extraction
from ...words import EMPTY, Text, join, say
from ..figures import Figure, precision
from ..records import Check
from .base import frame_for, instance, relation_words


def run_row_sums(ex: Extraction, rel: RowSumsRelation) -> list[Check]:
    if not ex.has(rel.table):
        return []
    frame = filter_rows(frame_for(ex, rel.table, rel.frame), rel.where)
    absent = [c for c in (rel.total, *rel.parts, *rel.minus) if c not in frame.columns and c not in rel.optional]
    if absent and not frame.empty:  # a column this document does not print: nothing to compare
        spec = ex.layout.table(rel.table)
        labels = join([say("column_words", column=spec.column_words(c)) for c in absent])
        missing = Figure(None, 0, table=rel.table, missing=say("missing_columns", table=rel.table, columns=labels))
        where = say("table", table=rel.table)
        return [instance(rel, "", missing, Figure(None, 0, table=rel.table), relation_words(rel), where)]
    spec = ex.layout.table(rel.table)
    unit = ex.units.get(rel.table, ex.layout.default_unit)
    out = []
    for _, row in frame.iterrows():
        total = row.get(rel.total)
        present = _values(row, rel.parts)
        subtracted = _values(row, rel.minus)
        if total is None and not present and not subtracted:
            continue
        printed = row.get(rel.label) if rel.label else None
        label = (
            Text.same(printed)
            if printed
            else say("total_row")
            if row.get("row_type") == "total"
            else Text.same(_row_label(row))
        )
        line = row["line"]
        left_decimals = precision([total], unit, spec.decimals)
        left_label = spec.column_words(rel.total)
        left = Figure(
            to_wanyuan(total or Decimal(0), unit), 1, [line], rel.table, left_decimals, label=left_label,
            cells=[(int(line), rel.total, total)],
        )  # fmt: skip
        parts_sum = to_wanyuan(sum(present, Decimal(0)) - sum(subtracted, Decimal(0)), unit)
        label_parts = join([spec.column_words(c) for c in rel.parts], "plus")
        if rel.minus:
            label_parts = join([label_parts, *(spec.column_words(m) for m in rel.minus)], "minus")
        n = max(len(present) + len(subtracted), 1)
        decimals = precision([*present, *subtracted], unit, spec.decimals)
        shown = [(int(line), c, v) for c in (*rel.parts, *rel.minus) for v in _values(row, (c,))]
        right = Figure(parts_sum, n, [line], rel.table, decimals, label=label_parts, cells=shown)
        where = say("table_line_label", table=rel.table, line=line, label=label)
        description = relation_words(rel) + (say("brackets", a=label) if label else EMPTY)
        out.append(instance(rel, f"line{line}", left, right, description, where))
    return out


def _values(row: pd.Series, columns: tuple[str, ...]) -> list[Decimal]:
    """The printed values of a row's columns (blank cells left out: zero by omission)."""
    values = [row.get(c) for c in columns if c in row.index]
    return [v for v in values if v is not None and not (isinstance(v, float) and pd.isna(v))]


def _row_label(row: pd.Series) -> str:
    for col in ("function_code", "economic_code", "unit_code", "project", "year", "category_name"):
        if col in row.index and isinstance(row[col], str) and row[col]:
            name_col = col.replace("_code", "_name")
            return f"{row[col]} {row.get(name_col, '') if name_col != col else ''}".strip()
    return ""
