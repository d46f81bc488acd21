"""Selectors resolved: pick a figure (one cell, a sum of cells, a count) out of the tidy tables."""

from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from ..layouts.selectors import Selector, fill, filter_rows, where_words
from ..money import to_wanyuan
from ..tables import Extraction
from ..tables.schema import missing
from ..textnorm import norm
from ..words import EMPTY, Text, join, quoted, say, value
from ..words import field as field_words


@dataclass
class Figure:
    """A figure in 万元 (or a count), with how many printed cells it sums and where they are."""

    value: Decimal | None  # None: the selected cells do not exist (missing table or row)
    parts: int  # non-blank cells summed; 1 for a single printed figure
    lines: list[int] = field(default_factory=list)
    table: str = ""
    decimals: int = 2
    unit: str = "万元"
    label: Text = EMPTY  # what the figure is, in words
    missing: Text | None = None  # why value is None
    # the printed cells it comes from: (line, column of the tidy table, what it prints): a table cell
    # by its column and value, a figure in free text (the narrative) by its printed text
    cells: list[tuple[int, str | None, str | None]] = field(default_factory=list)


STATED_BELOW = 2  # a cell printed this many decimals short of its table, or more, is stated to fewer


def precision(cells, unit: str, default: int) -> int:
    """The decimals, in 万元, a figure is stated to: the table's (``default``), unless its non-zero
    cells printed with a decimal point all show more (整体绩效目标表's 3682.188361 in a table whose
    spec says 2: a figure stated to 6), or one of them at least two fewer ("2,651.52" in a table
    printed to 6 decimals: stated to 2). One decimal fewer may be a dropped trailing zero ("5011.4"
    for 5011.40), and an integer may be printed bare: neither changes the precision. A cell in 元
    has four more decimals in 万元."""
    shown = [
        -v.as_tuple().exponent
        for v in cells
        if isinstance(v, Decimal) and v != 0 and isinstance(v.as_tuple().exponent, int) and v.as_tuple().exponent < 0
    ]
    decimals = default
    if shown and (min(shown) > default or min(shown) <= default - STATED_BELOW):
        decimals = min(shown)
    return max(decimals, 0) + (4 if unit == "元" else 0)


def describe(sel: Selector, ex: Extraction | None = None, params: dict | None = None) -> Text:
    """A selector in plain words, both languages: 表03“基本支出”列合计行 / table 03, column basic
    spending (“基本支出”), total row."""
    if sel.item is not None:
        items = join([quoted(i) for i in fill(sel.item, params).split("|")], "or")
        return say("sel_item", table=sel.table, side=value("side", sel.side) if sel.side else EMPTY, item=items)
    if sel.fund is not None:
        return say("sel_fund", table=sel.table, fund=value("fund", sel.fund))
    if sel.count is not None:
        return say("sel_count", table=sel.table, what=field_words(sel.count))
    column = sel.column or "amount"
    try:
        spec = ex.layout.table(sel.table) if ex is not None else None
    except KeyError:
        spec = None
    words = spec.column_words(column) if spec is not None else field_words(column)
    column_text = say("column_words", column=words)
    if sel.where or sel.where_any:
        where = where_words(sel.where, sel.where_any, params, spec)
        return say("sel_where", table=sel.table, column=column_text, where=where)
    return say("sel_total" if sel.row == "total" else "sel_rows", table=sel.table, column=column_text)


def select_rows(ex: Extraction, sel: Selector, params: dict | None = None) -> pd.DataFrame:
    """Rows of the selected table that the selector names (before aggregation)."""
    frame = ex.frame(sel.table, sel.frame or ("funds" if sel.fund is not None else ""))
    if frame.empty:
        return frame
    if sel.side is not None:
        frame = frame[frame["side"] == sel.side]
    if sel.item is not None:  # "一般公共预算资金|一般公共预算": the names one item is printed under
        frame = frame[frame["item_key"].isin([norm(name) for name in fill(sel.item, params).split("|")])]
    if sel.fund is not None:
        frame = frame[frame["fund"] == sel.fund]
    if sel.row in ("total", "detail") and "row_type" in frame.columns:
        frame = frame[frame["row_type"] == sel.row]
    elif sel.row is None and "row_type" in frame.columns and sel.item is None:
        frame = frame[frame["row_type"] == "detail"]
    return filter_rows(frame, sel.where, sel.where_any, params)


def value_or_none(ex: Extraction, sel: Selector) -> Decimal | None:
    """The selected figure's value, or None where it cannot be resolved (a table the layout lacks)."""
    try:
        return resolve(ex, sel).value
    except Exception:  # noqa: BLE001 - a summary line for a missing table shows a dash
        return None


def resolve(ex: Extraction, sel: Selector, params: dict | None = None) -> Figure:
    table = sel.table
    label = describe(sel, ex, params)
    if not ex.has(table):
        return Figure(None, 0, table=table, label=label, missing=say("missing_table", table=table))
    spec = ex.layout.table(table)
    rows = select_rows(ex, sel, params)
    if sel.count is not None:
        values = rows[sel.count].dropna() if not rows.empty else []
        return Figure(
            Decimal(len(set(values))), 1, sorted(rows["line"].tolist()) if not rows.empty else [], table, 0, "个", label
        )
    if rows.empty and (sel.item is not None or sel.fund is not None):
        return Figure(None, 0, table=table, label=label, missing=say("missing_row"))
    if rows.empty and sel.row == "total":  # a table without a 合计 row: its total is not printed, not 0
        return Figure(None, 0, table=table, label=label, missing=say("missing_total_row", table=table))
    if rows.empty:  # a code or row absent from a table is zero by omission
        return Figure(Decimal(0), 1, [], table, spec.decimals, "万元", say("absent_zero", what=label))
    column = sel.column or "amount"
    if column not in rows.columns:
        why = say("missing_column", table=table, column=say("column_words", column=spec.column_words(column)))
        return Figure(None, 0, table=table, label=label, missing=why)
    unit = ex.units.get(table, ex.layout.default_unit)
    # a summary table's amount is printed in its side's column (income_amount, use_amount, …)
    sided = "side" in rows.columns and column == "amount"
    printed_in = [f"{side}_amount" for side in rows["side"]] if sided else [column] * len(rows)
    where = [
        (int(line), printed_column, v)
        for line, printed_column, v in zip(rows["line"], printed_in, rows[column], strict=True)
        if not missing(v)
    ]
    cells = [v for _, _, v in where]
    total = sum((to_wanyuan(Decimal(v), unit) for v in cells), Decimal(0))
    decimals = precision(cells, unit, spec.decimals)  # 0.01 元 = 1e-6 万元
    lines = sorted(rows["line"].tolist())
    return Figure(total, max(len(cells), 1), lines, table, decimals, "万元", label, cells=where)
