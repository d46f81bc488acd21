"""``row_sums``: in every row, a total column against the sum of its part columns."""

from decimal import Decimal

import pandas as pd

from ...layouts.relations import RowSumsRelation
from ...layouts.selectors import filter_rows
from ...money import to_wanyuan
from ...tables import Extraction
from ..figures import Figure, precision
from ..records import Check
from .base import frame_for, instance


def run_row_sums(ex: Extraction, rel: RowSumsRelation) -> list[Check]:
    if not ex.has(rel.table):
        return []
    frame = filter_rows(frame_for(ex, rel.table, rel.frame), rel.where)
    absent = [c for c in (rel.total, *rel.parts, *rel.minus) if c not in frame.columns and c not in rel.optional]
    if absent and not frame.empty:  # a column this document does not print: nothing to compare
        spec = ex.layout.table(rel.table)
        labels = "、".join(f"“{spec.column(c).label}”" if c in {x.name for x in spec.columns} else c for c in absent)
        missing = Figure(None, 0, table=rel.table, missing=f"表{rel.table}未列出{labels}列")
        return [instance(rel, "", missing, Figure(None, 0, table=rel.table), rel.description, f"表{rel.table}")]
    spec = ex.layout.table(rel.table)
    unit = ex.units.get(rel.table, ex.layout.default_unit)
    out = []
    for _, row in frame.iterrows():
        total = row.get(rel.total)
        present = _values(row, rel.parts)
        subtracted = _values(row, rel.minus)
        if total is None and not present and not subtracted:
            continue
        label = (row.get(rel.label) if rel.label else None) or (
            "合计行" if row.get("row_type") == "total" else _row_label(row)
        )
        line = row["line"]
        left_decimals = precision([total], unit, spec.decimals)
        left = Figure(to_wanyuan(total or Decimal(0), unit), 1, [line], rel.table, left_decimals, label=rel.total)
        parts_sum = to_wanyuan(sum(present, Decimal(0)) - sum(subtracted, Decimal(0)), unit)
        label_parts = " + ".join(rel.parts) + "".join(f" − {m}" for m in rel.minus)
        n = max(len(present) + len(subtracted), 1)
        decimals = precision([*present, *subtracted], unit, spec.decimals)
        right = Figure(parts_sum, n, [line], rel.table, decimals, label=label_parts)
        where = f"表{rel.table} 第{line}行 {label}"
        out.append(instance(rel, f"line{line}", left, right, f"{rel.description}（{label}）", where))
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
