"""Selectors: pick a figure (one cell, a sum of cells, a count) out of the tidy tables."""

from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from ..money import to_wanyuan
from ..tables import Extraction
from ..textnorm import norm


@dataclass
class Figure:
    """A figure in 万元 (or a count), with how many printed cells it sums and where they are."""

    value: Decimal | None  # None: the selected cells do not exist (missing table or row)
    parts: int  # non-blank cells summed; 1 for a single printed figure
    lines: list[int] = field(default_factory=list)
    table: str = ""
    decimals: int = 2
    unit: str = "万元"
    label: str = ""
    missing: str | None = None  # why value is None


SIDES = {"income": "收入方", "expenditure": "支出方"}


def describe(sel: dict, ex: Extraction | None = None) -> str:
    """A selector in plain words: 表03“基本支出”列合计行."""
    text = f"表{sel['table']}"
    if "item" in sel:
        return f"{text}{SIDES.get(sel.get('side'), '')}“{sel['item']}”"
    if "fund" in sel:
        return f"{text}总体资金情况“{sel['fund']}”"
    if "count" in sel:
        return f"{text}项目个数"
    column = sel.get("column", "amount")
    if ex is not None:
        try:
            column = ex.layout.table(sel["table"]).column(column).label
        except KeyError:
            pass
    text += f"“{column}”列"
    if "where" in sel:
        return text + f"（{sel['where']}）"
    return text + ("合计行" if sel.get("row") == "total" else "各行之和")


def select_rows(ex: Extraction, sel: dict, params: dict | None = None) -> pd.DataFrame:
    """Rows of the selected table that the selector names (before aggregation)."""
    frame = ex.frame(sel["table"], sel.get("frame", "funds" if "fund" in sel else ""))
    if frame.empty:
        return frame
    if "side" in sel:
        frame = frame[frame["side"] == sel["side"]]
    if "item" in sel:
        frame = frame[frame["item_key"] == norm(sel["item"].format(**(params or {})))]
    if "fund" in sel:
        frame = frame[frame["fund"] == sel["fund"]]
    row = sel.get("row")
    if row in ("total", "detail") and "row_type" in frame.columns:
        frame = frame[frame["row_type"] == row]
    elif row is None and "row_type" in frame.columns and "item" not in sel:
        frame = frame[frame["row_type"] == "detail"]
    if "where" in sel:
        frame = frame.query(sel["where"].format(**(params or {})), engine="python")
    return frame


def value_or_none(ex: Extraction, sel: dict) -> Decimal | None:
    """The selected figure's value, or None where it cannot be resolved (a table the layout lacks)."""
    try:
        return resolve(ex, sel).value
    except Exception:  # noqa: BLE001 - a summary line for a missing table shows a dash
        return None


def resolve(ex: Extraction, sel: dict, params: dict | None = None) -> Figure:
    table = sel["table"]
    label = describe(sel, ex)
    if not ex.has(table):
        return Figure(None, 0, table=table, label=label, missing=f"表{table}缺失")
    spec = ex.layout.table(table)
    rows = select_rows(ex, sel, params)
    if "count" in sel:
        values = rows[sel["count"]].dropna() if not rows.empty else []
        return Figure(Decimal(len(set(values))), 1, sorted(rows["line"].tolist()) if not rows.empty else [], table, 0, "个", label)
    if rows.empty and ("item" in sel or "fund" in sel):
        return Figure(None, 0, table=table, label=label, missing="未找到所选行")
    if rows.empty:  # a code or row absent from a table is zero by omission
        return Figure(Decimal(0), 1, [], table, spec.decimals, "万元", label + "（表中无此行，视为0）")
    column = sel.get("column", "amount")
    unit = ex.units.get(table, ex.layout.default_unit)
    cells = [v for v in rows[column] if v is not None and not (isinstance(v, float) and pd.isna(v))]
    total = sum((to_wanyuan(Decimal(v), unit) for v in cells), Decimal(0))
    decimals = spec.decimals + (4 if unit == "元" else 0)  # 0.01 元 = 1e-6 万元
    return Figure(total, max(len(cells), 1), sorted(rows["line"].tolist()), table, decimals, "万元", label)
