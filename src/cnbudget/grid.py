"""Parsers for plain grids (one row per printed row) and two-sided summary tables."""

import re

import pandas as pd

from .cells import CellReader, function_class_for_name, function_levels, is_total_label, split_code_name
from .document import Row, Section
from .errors import LayoutError
from .layout import TableSpec
from .textnorm import norm, strip_markup


def body_rows(spec: TableSpec, section: Section, reader: CellReader) -> list[Row]:
    """Data rows without the header, and without header rows repeated at page breaks."""
    rows = section.rows
    if spec.header_rows == 0:
        return list(rows)
    first = norm(spec.header_first or "")
    if not rows or _first_cell(rows[0]) != first:
        found = _first_cell(rows[0]) if rows else "no rows"
        raise LayoutError(f"表{spec.id} {spec.title_zh}: expected the header to start with {spec.header_first!r}, found {found!r} (line {section.line})")
    body, skip = [], spec.header_rows
    for row in rows:
        if skip:
            skip -= 1
            continue
        if _first_cell(row) == first:
            reader.flag(row.line, None, "page_break_header", f"表{spec.id} 第{row.line}行: 分页处重复的表头，已跳过")
            skip = spec.header_rows - 1
            continue
        body.append(row)
    return body


def _first_cell(row: Row) -> str:
    return next((norm(c) for c in row.cells if norm(c)), "")


def _pad(row: Row, n: int, spec: TableSpec, reader: CellReader) -> list[str]:
    cells = row.cells[:n] + [""] * (n - len(row.cells))
    extra = [c for c in row.cells[n:] if strip_markup(c).strip()]
    if extra:
        reader.flag(row.line, None, "extra_cells", f"表{spec.id} 第{row.line}行: 多出 {len(extra)} 个非空单元格: {extra!r}")
    return cells


def parse_grid(spec: TableSpec, section: Section, reader: CellReader) -> dict[str, pd.DataFrame]:
    records = []
    for row in body_rows(spec, section, reader):
        cells = _pad(row, len(spec.columns), spec, reader)
        record = {"table": spec.id, "line": row.line, "row_type": "detail"}
        if any(is_total_label(c) for c in cells):
            record["row_type"] = "total"
        label = next((strip_markup(c).strip() for c in cells if strip_markup(c).strip()), "")
        for col, raw in zip(spec.columns, cells, strict=True):
            text = strip_markup(raw).strip()
            if col.kind == "amount":
                record[col.name] = reader.amount(raw, row.line, col.name, col.label, label)
            elif col.kind == "code_name":
                code, name = reader.code_name(raw, row.line, col.name, col.label)
                record.update({f"{col.name}_code": code, f"{col.name}_name": name, f"{col.name}_raw": text})
                record[f"{col.name}_key"] = norm(name) if name else None
                if col.code == "function":
                    record.update(function_levels(code))
            elif col.kind == "code":
                record[f"{col.name}_code"] = text if text and not is_total_label(text) else None
                if col.code == "function":
                    record.update(function_levels(record[f"{col.name}_code"]))
            else:
                record[col.name] = text
                if col.kind == "label":
                    record[f"{col.name}_key"] = norm(text)
        for col in spec.columns:  # a bare code column with its name in another column (table 07)
            if col.kind == "code" and col.name_column:
                record[f"{col.name}_name"] = record.pop(col.name_column)
                record[f"{col.name}_key"] = norm(record[f"{col.name}_name"])
        records.append(record)
    return {spec.key: pd.DataFrame.from_records(records)}


def parse_two_sided(spec: TableSpec, section: Section, reader: CellReader) -> dict[str, pd.DataFrame]:
    """收支总表: income items on the left, expenditure items on the right, one side per output row."""
    records, parents = [], {"income": None, "expenditure": None}
    sides = (("income", spec.columns[0], spec.columns[1]), ("expenditure", spec.columns[2], spec.columns[3]))
    for row in body_rows(spec, section, reader):
        cells = _pad(row, 4, spec, reader)
        for position, (side, item_col, amount_col) in enumerate(sides):
            item = strip_markup(cells[2 * position]).strip()
            amount_raw = cells[2 * position + 1]
            if not item and not strip_markup(amount_raw).strip():
                continue
            value = reader.amount(amount_raw, row.line, amount_col.name, amount_col.label, item)
            level = item_level(item)
            if level == 1:
                parents[side] = item_key(item)
            records.append(
                {
                    "table": spec.id,
                    "line": row.line,
                    "side": side,
                    "item": item,
                    "item_key": item_key(item),
                    "item_level": level,
                    "parent_key": parents[side] if level == 2 else None,
                    "function_class_code": function_class_for_name(item_key(item)) if side == "expenditure" else None,
                    "amount": value,
                }
            )
    return {spec.key: pd.DataFrame.from_records(records)}


def item_level(item: str) -> int:
    """1 for "一、…", 2 for "（一）…", 0 for an unnumbered line (totals, carry-overs)."""
    key = norm(item)
    if re.match(r"^[一二三四五六七八九十]+、", key):
        return 1
    if re.match(r"^\([一二三四五六七八九十]+\)", key):
        return 2
    return 0


def item_key(item: str) -> str:
    """Matching key of a summary-table item: ordinal prefix ("八、", "（一）") removed."""
    key = norm(item)
    for sep in ("、", ")"):
        head, found, tail = key.partition(sep)
        if found and len(head) <= 4 and (head.strip("(").isdigit() or set(head.strip("(")) <= set("一二三四五六七八九十")):
            key = tail
            break
    return key


__all__ = ["parse_grid", "parse_two_sided", "body_rows", "split_code_name", "item_key"]
