"""Parser for summary tables printed with two or three sides (收支总表: income beside spending)."""

import re

import pandas as pd

from ..layouts import TableSpec
from ..read import Section
from ..textnorm import norm, strip_markup
from .cells import CellReader, function_class_for_name
from .grid import body_rows, pad_cells

DEFAULT_SIDES = (("income", 0, 1), ("expenditure", 2, 3))


def _amount_index(cells: list[str], sides: list, position: int) -> int:
    """A label whose amount cell is blank takes the next amount to its right when the cells between
    are blank: it was printed across merged cells ("当年支出小计" spans the function and use columns)."""
    _, item_index, amount_index = sides[position][:3]
    if strip_markup(cells[item_index]).strip() and not strip_markup(cells[amount_index]).strip():
        for later in sides[position + 1 :]:
            if strip_markup(cells[later[1]]).strip():
                break
            if strip_markup(cells[later[2]]).strip():
                return later[2]
    return amount_index


def parse_two_sided(spec: TableSpec, section: Section, reader: CellReader) -> dict[str, pd.DataFrame]:
    """收支总表: income items on the left, expenditure items on the right, one side per output row.

    ``sides`` (layout option) lists (side, item column, amount column, more amount columns…);
    Jiangsu's 收支预算总表 has three: income, expenditure by function, expenditure by use. A side
    with more amounts (财政拨款收支总表: 合计, then 一般公共预算, 政府性基金…) keeps the first as
    ``amount`` and the others under their column names.
    """
    sides = [tuple(side) for side in (spec.sides or DEFAULT_SIDES)]
    n = max(max(side[1:]) for side in sides) + 1
    records, parents = [], {side[0]: None for side in sides}
    for row in body_rows(spec, section, reader):
        cells = pad_cells(row, n, spec, reader)
        used: set[int] = set()
        for position, (side, item_index, _, *extras) in enumerate(sides):
            amount_index = _amount_index(cells, sides, position)
            item = strip_markup(cells[item_index]).strip()
            if amount_index in used:
                continue
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
            for extra in extras:
                if cells[extra] is None:  # an optional column this table does not print
                    continue
                col = spec.columns[extra]
                record[col.name] = reader.amount(cells[extra], row.line, col.name, col.label, item)
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
