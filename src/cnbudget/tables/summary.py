"""Parser for summary tables printed with two or three sides (收支总表: income beside spending)."""

import re

import pandas as pd

from ..layouts import TableSpec
from ..read import Section
from ..textnorm import norm, strip_markup
from .cells import CellReader, function_class_for_name
from .grid import body_rows, pad_cells

DEFAULT_SIDES = (("income", 0, 1), ("expenditure", 2, 3))


def parse_two_sided(spec: TableSpec, section: Section, reader: CellReader) -> dict[str, pd.DataFrame]:
    """收支总表: income items on the left, expenditure items on the right, one side per output row.

    ``sides`` (layout option) lists (side, item column, amount column); Jiangsu's 收支预算总表 has
    three: income, expenditure by function, expenditure by use. A label whose amount cell is
    blank takes the next amount to its right when the cells between are blank: the label was
    printed across merged cells ("当年支出小计" spans the function and use columns).
    """
    sides = list(spec.sides or DEFAULT_SIDES)
    n = max(max(i, a) for _, i, a in sides) + 1
    records, parents = [], {side: None for side, _, _ in sides}
    for row in body_rows(spec, section, reader):
        cells = pad_cells(row, n, spec, reader)
        used: set[int] = set()
        for position, (side, item_index, amount_index) in enumerate(sides):
            item = strip_markup(cells[item_index]).strip()
            if amount_index in used:
                continue
            if item and not strip_markup(cells[amount_index]).strip():
                for _later_side, later_item, later_amount in sides[position + 1 :]:
                    if strip_markup(cells[later_item]).strip():
                        break
                    if strip_markup(cells[later_amount]).strip():
                        amount_index = later_amount
                        break
            used.add(amount_index)
            amount_raw = cells[amount_index]
            if not item and not strip_markup(amount_raw).strip():
                continue
            amount_col = spec.columns[amount_index]
            value = reader.amount(amount_raw, row.line, amount_col.name, amount_col.label, item)
            level = item_level(item)
            if level == 1:
                parents[side] = item_key(item)
            record = {
                "table": spec.id,
                "line": row.line,
                "side": side,
                "item": item,
                "item_key": item_key(item),
                "item_level": level,
                "parent_key": parents[side] if level == 2 else None,
                "function_class_code": function_class_for_name(item_key(item))
                if side in ("expenditure", "function")
                else None,
                "amount": value,
            }
            if row.page is not None:
                record["page"] = row.page
            records.append(record)
    return {spec.key: pd.DataFrame.from_records(records)}


def item_level(item: str) -> int:
    """1 for "一、…", 2 for "（一）…", 0 for an unnumbered line (totals, carry-overs)."""
    key = norm(item)
    if re.match(r"^[一二三四五六七八九十]+、", key):
        return 1
    if re.match(r"^\([一二三四五六七八九十]+\)", key) or re.match(r"^\d{1,2}[.、](?!\d)", key):
        return 2
    return 0


def item_key(item: str) -> str:
    """Matching key of a summary-table item: ordinal prefix ("八、", "（一）") removed."""
    key = norm(item)
    for sep in ("、", ")"):
        head, found, tail = key.partition(sep)
        if (
            found
            and len(head) <= 4
            and (head.strip("(").isdigit() or set(head.strip("(")) <= set("一二三四五六七八九十"))
        ):
            key = tail
            break
    else:
        if m := re.match(r"^\d{1,2}\.(?!\d)", key):  # "1.一般公共预算"
            key = key[m.end() :]
    return key
