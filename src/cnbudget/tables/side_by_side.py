"""Parser for tables printed as several lists side by side (决算 基本支出表: 人员经费 codes on the
left, 公用经费 codes on the right, each a code, a name and an amount): one record per item."""

import re

import pandas as pd

from ..layouts import TableSpec
from ..read import Section
from ..textnorm import norm, strip_markup
from .cells import CellReader, is_total_label
from .grid import body_rows, pad_cells

TOTAL = re.compile(r"(合计|总计)$")
CODE = re.compile(r"^\d{3,7}$")


PERSONNEL_CLASSES = ("301", "303")  # 工资福利支出, 对个人和家庭的补助: 人员经费; the other classes: 公用经费


def _cost_type(code: str, name: str) -> str | None:
    """人员经费 (personnel) or 公用经费 (public) of an economic code, or of a 合计 row by its label."""
    label = norm(name or code)
    if label.startswith("人员经费"):
        return "personnel"
    if label.startswith("公用经费"):
        return "public"
    if CODE.match(code):
        return "personnel" if code[:3] in PERSONNEL_CLASSES else "public"
    return None


def parse_side_by_side(spec: TableSpec, section: Section, reader: CellReader) -> dict[str, pd.DataFrame]:
    """``groups`` (layout option) lists (group, code column, name column, amount column); a row
    gives one record per group whose cells are not all blank. A code cell that holds a label
    ending in 合计 ("人员经费合计") makes that record the group's total."""
    index = {c.name: k for k, c in enumerate(spec.columns)}
    records = []
    for row in body_rows(spec, section, reader):
        cells = pad_cells(row, len(spec.columns), spec, reader)
        for group, code_col, name_col, amount_col in spec.groups:
            if cells[index[code_col]] is None:  # a group of columns this table does not print
                continue
            code = norm(strip_markup(cells[index[code_col]]))
            name = strip_markup(cells[index[name_col]]).strip()
            raw = cells[index[amount_col]]
            if not (code or name or strip_markup(raw).strip()):
                continue
            total = bool(TOTAL.search(code) or TOTAL.search(norm(name))) or is_total_label(code)
            if code and not total and not CODE.match(code):
                message = (
                    f"表{spec.id} 第{row.line}行 “{spec.columns[index[code_col]].label}” 应为科目编码，实为 {code!r}"
                )
                reader.flag(row.line, code_col, "not_code", message, code)
            label = name or code
            col = spec.columns[index[amount_col]]
            record = {
                "table": spec.id,
                "line": row.line,
                "group": group,
                "row_type": "total" if total else "detail",
                "economic_code": code if code and not total else None,
                "economic_name": name if not total else (name or code),
                "economic_key": norm(name or code),
                "economic_class_code": code[:3] if CODE.match(code) and not total else None,
                "cost_type": _cost_type(code, name),
                "amount": reader.amount(raw, row.line, col.name, col.label, label),
            }
            if row.page is not None:
                record["page"] = row.page
            records.append(record)
    return {spec.key: pd.DataFrame.from_records(records)}
