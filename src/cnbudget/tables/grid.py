"""Parser for plain grids (one row per printed row), and the body rows every parser starts from."""

import re

import pandas as pd

from ..errors import LayoutError
from ..layouts import Column, TableSpec
from ..read import Row, Section
from ..textnorm import norm, strip_markup
from .cells import CellReader, function_levels, is_placeholder, is_total_label
from .codes import join_code_parts, parent_names
from .columns import header_paths, locate, project

CODE = re.compile(r"^[0-9A-Za-z]+$")


# a note saying the table is empty ("本部门无政府性基金预算财政拨款安排的预算，故本表为空表")
EMPTY_NOTE = re.compile(r"为空表|本表为空|此表为空|空表|本表无数据|(没有|无)\S{0,24}(安排|数据|收支)")
AMOUNT_CELL = re.compile(r"^-?[\d,]+(\.\d+)?$")


def body_rows(spec: TableSpec, section: Section, reader: CellReader) -> list[Row]:
    """Data rows without the header, and without header rows repeated at page breaks."""
    rows = section.rows
    if spec.columns_by == "header":
        return _body_by_header(spec, section, reader)
    if rows and rows[0].page is not None:  # a PDF grid: ruled column bands the layout does not have
        rows = fit_columns(rows, len(spec.columns), spec, section, reader)
        width = max(len(r.cells) for r in rows)
        if width < len(spec.columns):  # cells would shift into the wrong columns: never guess
            raise LayoutError(
                f"表{spec.id} {spec.title_zh}: the PDF prints {width} columns where the layout has "
                f"{len(spec.columns)} (line {section.line})"
            )
    if spec.body_start is not None:
        return _body_from_start(spec, section, rows, reader)
    if spec.header_rows == 0:
        return list(rows)
    first = norm(spec.header_first or "")
    # a PDF may rule a title or unit row into the grid above the header: start at the header
    start = next((k for k, row in enumerate(rows[:4]) if _first_cell(row) == first), 0)
    rows = rows[start:]
    if not rows or _first_cell(rows[0]) != first:
        found = _first_cell(rows[0]) if rows else "no rows"
        raise LayoutError(
            f"表{spec.id} {spec.title_zh}: expected the header to start with {spec.header_first!r}, found {found!r} "
            f"(line {section.line})"
        )
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


def _body_from_start(spec: TableSpec, section: Section, rows: list[Row], reader: CellReader) -> list[Row]:
    """PDF tables: the header is every row before the first whose first cell matches ``body_start``;
    a row equal to a header row after a page break is a repeated header and is skipped."""
    start, empty = spec.body_start, spec.empty_marker
    first_body = next((k for k, row in enumerate(rows) if start.search(_first_cell(row))), None)
    if first_body is None:
        found = "; ".join(_first_cell(r) for r in rows[:4]) or "no rows"
        raise LayoutError(
            f"表{spec.id} {spec.title_zh}: no row starts the table body (first cell matching {start.pattern!r}); "
            f"first cells found: {found} (line {section.line})"
        )
    header = {_row_key(r) for r in rows[:first_body]}
    body = []
    for row in rows[first_body:]:
        if _row_key(row) in header:
            reader.flag(row.line, None, "page_break_header", f"表{spec.id} 第{row.line}行: 分页处重复的表头，已跳过")
            continue
        if empty is not None and empty.search(_first_cell(row)):
            reader.flag(
                row.line,
                None,
                "empty_table_note",
                f"表{spec.id} 第{row.line}行: 表内说明“{_first_cell(row)}”，不是数据行",
            )
            continue
        body.append(row)
    return body


def _body_by_header(spec: TableSpec, section: Section, reader: CellReader) -> list[Row]:
    """Tables whose columns are found by their header: the header is every row before the first
    body row (``body_start``, else the first ``header_rows``); each body row is projected onto the
    spec's columns. A table that prints its header and no row is empty (a note saying so is kept),
    not missing."""
    rows, start = section.rows, spec.body_start
    if start is None:  # no body_start: the header is the first ``header_rows`` rows (the generic reader's specs)
        first_body = spec.header_rows if spec.header_rows < len(rows) else None
    else:
        first_body = next((k for k, row in enumerate(rows) if start.search(_first_cell(row)) and _body_like(row)), None)
    header = rows[:first_body] if first_body is not None else rows
    # a table printed without a header row (the generic reader's): columns stand where the spec lists them
    mapping = locate(spec, header, section.line) if header else list(range(len(spec.columns)))
    note = next((text for _, text in section.notes if EMPTY_NOTE.search(norm(text))), None)
    if first_body is None:
        printed = (AMOUNT_CELL.match(norm(c)) for row in rows for c in row.cells if norm(c) not in ("1", "2", "3"))
        if start is not None and any(printed):
            found = "; ".join(_first_cell(r) for r in rows[:6]) or "no rows"
            raise LayoutError(
                f"表{spec.id} {spec.title_zh}: no row starts the table body (first cell matching {start.pattern!r}); "
                f"first cells found: {found} (line {section.line})"
            )
        said = f"（表注：“{note}”）" if note else ""
        reader.flag(section.line, None, "empty_table", f"表{spec.id} {spec.title_zh}: 表中没有数据行{said}", note)
        return []
    keys = {_row_key(r) for r in header}
    width = max(len(r.cells) for r in header) if header else 0
    body = []
    totals: set[str] = set()
    for row in rows[first_body:]:
        # 佛山 prints the 合计 row again under every page's header
        if is_total_label(_first_cell(row), spec.total_label):
            if _row_key(row) in totals:
                reader.flag(row.line, None, "repeated_row", f"表{spec.id} 第{row.line}行: 分页处重复的合计行，已跳过")
                continue
            totals.add(_row_key(row))
        if _row_key(row) in keys or _column_numbers(row):
            reader.flag(row.line, None, "page_break_header", f"表{spec.id} 第{row.line}行: 分页处重复的表头，已跳过")
            continue
        if spec.empty_marker is not None and spec.empty_marker.search(_first_cell(row)):
            message = f"表{spec.id} 第{row.line}行: 表内说明“{_first_cell(row)}”，不是数据行"
            reader.flag(row.line, None, "empty_table_note", message)
            continue
        body.append(project(row, mapping, width))
    amounts = [norm(c) for r in body for c in r.cells if c and AMOUNT_CELL.match(norm(c))]
    if not amounts:
        said = f"（表注：“{note}”）" if note else ""
        reader.flag(section.line, None, "empty_table", f"表{spec.id} {spec.title_zh}: 表中没有金额{said}", note)
    elif note and any(a.strip("0.,") for a in amounts):
        message = f"表{spec.id} {spec.title_zh}: 表注说“{note}”，但表中列有不为零的金额"
        reader.flag(section.line, None, "note_contradicts_table", message, note)
    return body


def _body_like(row: Row) -> bool:
    """Not a header row: not a row of column numbers, and either an amount printed with decimals or
    thousands separators, or at most one text cell besides its first (a code row has its name; a
    header row under a group heading prints 合计 | 基本支出 | 项目支出)."""
    cells = [norm(c) for c in row.cells if norm(c)]
    texts = [c for c in cells[1:] if not AMOUNT_CELL.match(c)]
    amounts = [c for c in cells if AMOUNT_CELL.match(c) and ("." in c or "," in c)]
    return not _column_numbers(row) and (bool(amounts) or len(texts) <= 1)


def _column_numbers(row: Row) -> bool:
    """A row that numbers the columns (栏次: 1 2 3 …, 佛山 prints it under every header)."""
    cells = [norm(c) for c in row.cells if norm(c)]
    if cells and cells[0] in ("栏次", "*", "**", "***"):  # 杭州: "** | 1 | 2 | 3"
        return True
    if len(cells) < 3 or not all(c.isdigit() for c in cells):
        return False
    first = int(cells[0])
    return cells == [str(first + k) for k in range(len(cells))]


def fit_columns(rows: list[Row], n: int, spec: TableSpec, section: Section, reader: CellReader) -> list[Row]:
    """Collapse ruled column bands the layout does not have.

    A PDF may rule a column that is only ever used as half of a merged cell (the header spans
    two bands, the body writes into one). Two adjacent bands that are never both filled in the
    same row are one column; the emptier pair is collapsed first, until the count matches."""
    width = max((len(r.cells) for r in rows), default=0)
    if width <= n:
        return rows
    cells = [list(r.cells) + [""] * (width - len(r.cells)) for r in rows]
    collapsed = 0
    while len(cells[0]) > n:
        filled = [sum(1 for c in cells if c[j].strip()) for j in range(len(cells[0]))]
        pairs = [j for j in range(len(cells[0]) - 1) if not any(c[j].strip() and c[j + 1].strip() for c in cells)]
        if not pairs:
            break
        j = min(pairs, key=lambda k: (min(filled[k], filled[k + 1]), k))
        for c in cells:
            c[j : j + 2] = [c[j] + c[j + 1]]
        collapsed += 1
    if collapsed:
        reader.flag(
            section.line,
            None,
            "merged_columns",
            f"表{spec.id}: PDF 中多划了 {collapsed} 个从不单独使用的列边界，已按合并单元格处理",
        )
    return [Row(r.line, c, r.page) for r, c in zip(rows, cells, strict=True)]


def _row_key(row: Row) -> str:
    return "|".join(norm(c) for c in row.cells)


def _first_cell(row: Row) -> str:
    return next((norm(c) for c in row.cells if norm(c)), "")


def pad_cells(row: Row, n: int, spec: TableSpec, reader: CellReader) -> list[str]:
    cells = row.cells[:n] + [""] * (n - len(row.cells))
    extra = [c for c in row.cells[n:] if strip_markup(c).strip()]
    if extra:
        reader.flag(
            row.line, None, "extra_cells", f"表{spec.id} 第{row.line}行: 多出 {len(extra)} 个非空单元格: {extra!r}"
        )
    return cells


def _carry_down(spec: TableSpec, cells: list[str], printed: dict, carry: dict, record: dict) -> list[str]:
    """Cells merged down the rows of a group are printed once: carry them down (``fill_down``),
    and record each filled column's path (category/economic/item)."""
    names = [c.name for c in spec.columns]
    for k, name in enumerate(names):
        if printed[name]:
            for right in names[k + 1 :]:
                carry.pop(right, None)
            if name in spec.fill_down:
                carry[name] = printed[name]
    cells = [
        carry.get(name, "") if name in spec.fill_down and not printed[name] else raw
        for name, raw in zip(names, cells, strict=True)
    ]
    path = []
    for name, raw in zip(names, cells, strict=True):
        if name in spec.fill_down:
            path.append(norm(raw))
            record[f"{name}_path"] = "/".join(path)
    return cells


def _code_cell(spec: TableSpec, col: Column, text: str, line: int, reader: CellReader, record: dict) -> None:
    """A bare code column (功能科目编码 300 / 30001 / 3000101, 经济科目编码)."""
    code = text if text and not is_total_label(text, spec.total_label) else None
    if code is not None and is_placeholder(code):
        reader.flag(line, col.name, "placeholder", f"表{spec.id} 第{line}行 “{col.label}” 是模板占位符: {text!r}", text)
        code = None
    elif code is not None and not CODE.match(norm(code)):
        message = f"表{spec.id} 第{line}行 “{col.label}” 应为科目编码，实为 {text!r}"
        reader.flag(line, col.name, "not_code", message, text)
    record[f"{col.name}_code"] = code
    if col.code == "function":
        record.update(function_levels(code))
    elif col.code == "economic":
        record["economic_class_code"] = code[:3] if code and code.isdigit() and len(code) >= 3 else None


def _read_cell(
    spec: TableSpec, col: Column, raw: str | None, line: int, label: str, reader: CellReader, record: dict
) -> None:
    """One cell into the record, as its column's kind says (None: an optional column not printed)."""
    if raw is None:  # the table does not print this column: no field, unlike a blank cell
        return
    text = strip_markup(raw).strip()
    if col.kind == "amount":
        record[col.name] = reader.amount(raw, line, col.name, col.label, label)
    elif col.kind == "code_name":
        code, name = reader.code_name(raw, line, col.name, col.label)
        record.update({f"{col.name}_code": code, f"{col.name}_name": name, f"{col.name}_raw": text})
        record[f"{col.name}_key"] = norm(name) if name else None
        if col.code == "function":
            record.update(function_levels(code))
        elif col.code == "economic":
            record["economic_class_code"] = code[:3] if code and code.isdigit() and len(code) >= 3 else None
    elif col.kind == "code":
        _code_cell(spec, col, text, line, reader, record)
    elif col.kind == "code_part":
        return  # joined with the other parts of its code (join_code_parts)
    else:
        record[col.name] = text
        if col.kind == "label":
            record[f"{col.name}_key"] = norm(text)


def _grid_record(spec: TableSpec, row: Row, cells: list[str], carry: dict) -> tuple[dict, list[str]]:
    """The record's row fields (line, page, total or detail, level) and the cells after fill-down."""
    record = {"table": spec.id, "line": row.line, "row_type": "detail"}
    if row.page is not None:
        record["page"] = row.page
    if any(is_total_label(c, spec.total_label) for c in cells if c):
        record["row_type"] = "total"
    printed = {col.name: strip_markup(raw or "").strip() for col, raw in zip(spec.columns, cells, strict=True)}
    level = next((level for level, column in spec.row_levels if printed.get(column)), None)
    if level is not None:
        record["level"] = level
    if spec.fill_down:
        cells = _carry_down(spec, cells, printed, carry, record)
    return record, cells


def parse_grid(spec: TableSpec, section: Section, reader: CellReader) -> dict[str, pd.DataFrame]:
    """A plain grid: one record per printed row, one field per column (codes split from names)."""
    records = []
    carry: dict[str, str] = {}
    code_parts: dict[str, list[str]] = {}
    for row in body_rows(spec, section, reader):
        cells = pad_cells(row, len(spec.columns), spec, reader)
        label = next((strip_markup(c).strip() for c in cells if c and strip_markup(c).strip()), "")
        record, cells = _grid_record(spec, row, cells, carry)
        for col, raw in zip(spec.columns, cells, strict=True):
            _read_cell(spec, col, raw, row.line, label, reader, record)
        if any(col.kind == "code_part" for col in spec.columns):
            join_code_parts(spec, cells, row.line, reader, record, code_parts)
        for col in spec.columns:  # a bare code column with its name in another column (table 07)
            if col.kind == "code" and col.name_column and col.name_column in record:
                record[f"{col.name}_name"] = record.pop(col.name_column)
                record[f"{col.name}_key"] = norm(record[f"{col.name}_name"])
                if spec.columns_by == "header":
                    parent_names(col.name, record.get(f"{col.name}_code"), record, code_parts)
        records.append(record)
    if spec.columns_by == "header" and records:
        _unmapped_amounts(spec, section, reader, records)
    return {spec.key: pd.DataFrame.from_records(records)}


def _unmapped_amounts(spec: TableSpec, section: Section, reader: CellReader, records: list[dict]) -> None:
    """Amount columns the document prints and the spec does not name (a city's extra fund column):
    every amount cell is kept, as ``extra_<n>`` labelled by its printed header, never dropped."""
    rows = section.rows
    first = spec.header_rows if spec.body_start is None else None
    if first is None:
        first = next((k for k, r in enumerate(rows) if spec.body_start.search(_first_cell(r)) and _body_like(r)), None)
    if not first:
        return
    header = rows[:first]
    paths = header_paths([r for r in header if not _column_numbers(r)])
    mapped = set(locate(spec, header, section.line))
    by_line = {r.line: r for r in rows[first:]}
    for j, path in enumerate(paths):
        if j in mapped or not path:
            continue
        cells = {line: (r.cells[j] if j < len(r.cells) else "") for line, r in by_line.items()}
        if not any(AMOUNT_CELL.match(norm(c)) and ("." in c or "," in c) for c in cells.values()):
            continue
        name = f"extra_{j + 1}"
        for record in records:
            raw = cells.get(record["line"], "")
            record[name] = reader.amount(raw, record["line"], name, path, record.get("row_label", ""))
