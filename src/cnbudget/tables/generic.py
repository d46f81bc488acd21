"""Tables read without a layout: a spec inferred, per table, from what its header prints.

The generic reader knows no table by name. For each ruled table it finds the header (the rows
above the first row that prints an amount, a code or 合计), the path of header words over each
column, and what each column holds: a classification code (its header says 编码, or 类/款/项 for a
code printed in parts), a code and name in one cell (2010101-行政运行), an amount (every cell a
number or a dash), or text. The inferred spec is an ordinary ``TableSpec`` read by the grid
parser, so cells, codes and anomalies are recorded exactly as for a layout's tables.
"""

import re

import pandas as pd

from ..layouts import Column, TableSpec
from ..layouts.generic import GenericWords, generic_words
from ..money import INVALID, VALUE, parse_amount
from ..read import Row, Section
from ..textnorm import norm, strip_markup
from .cells import is_total_label, split_code_name
from .columns import header_paths, project
from .grid import _column_numbers, _row_key

CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")  # 201, 20101, 2010101
DIGIT = re.compile(r"\d")
CODE_TEXT = re.compile(r"^[0-9A-Za-z]+$")  # any printed code (unit codes 063001, project codes)
LEVELS = (3, 5)  # code prefixes kept as grouping keys (类, 款)


def _texts(row: Row) -> list[str]:
    return [norm(c) for c in row.cells]


def _starts_body(row: Row) -> bool:
    """The first data row: it prints an amount, or starts with 合计 or a code and prints no more
    than a name beside it (a header row may start with 合计 over the column headings 基本支出 …)."""
    cells = [c for c in _texts(row) if c]
    if not cells or _column_numbers(row):
        return False
    if any(parse_amount(c)[0] == VALUE for c in cells):
        return True
    first = cells[0]
    coded = is_total_label(first) or CODE.match(first) or split_code_name(first)[0]
    return bool(coded) and len(cells) <= 2


def _header_rows(section: Section) -> int | None:
    """How many rows the header takes (None: no row is data: the table is printed empty)."""
    return next((k for k, row in enumerate(section.rows) if _starts_body(row)), None)


def _classification(path: str, codes: list[str], words: GenericWords) -> str | None:
    """The classification a code column belongs to: from its header, else from its codes (first
    digit and length); None when neither says."""
    for c in words.classification:
        if any(h in path for h in c.header):
            return c.name
    for c in words.classification:
        if codes and all(code.startswith(c.leading) and len(code) in c.lengths for code in codes):
            return c.name
    return None


def _mostly(values: list[str], test) -> bool:
    """Some cells, and at most one in ten of them failing ``test`` (that one is reported, not guessed)."""
    return bool(values) and sum(not test(v) for v in values) * 10 <= len(values)


def _all(values: list[str], test) -> bool:
    return bool(values) and all(test(v) for v in values)


def _kind(path: str, values: list[str], words: GenericWords) -> str:
    """What a column holds, from its header path and its non-empty body cells. A column whose cells
    do not agree on what they are is text: the reader never calls a column what it only might be.
    Codes must all be codes; amounts may include a misprinted number (one in ten at most, reported
    as not a number), never a cell of words."""
    leaf = path.split("/")[-1] if path else ""
    filled = [v for v in values if v and not is_total_label(v, words.columns.total_label)]
    if any(w in path for w in words.columns.ignore):
        return "label"
    if leaf in words.columns.code_parts:  # a part of a code, or nothing this reader can name
        return "code_part" if _all(filled, str.isdigit) else "label"
    if any(w in path for w in words.columns.code):
        return "code" if _all(filled, lambda v: bool(CODE_TEXT.match(v))) else "label"
    if _all(filled, lambda v: bool(split_code_name(v)[0])):
        return "code_name"
    statuses = [parse_amount(v)[0] for v in filled]
    worded = any(status == INVALID and not DIGIT.search(v) for v, status in zip(filled, statuses, strict=True))
    if VALUE in statuses and not worded and _mostly(statuses, lambda status: status != INVALID):
        return "amount"
    return "label"


def _codes(kind: str, values: list[str]) -> list[str]:
    if kind == "code_name":
        return [c for c in (split_code_name(v)[0] for v in values) if c]
    return [v for v in values if v.isdigit()]


def _columns(paths: list[str], body: list[Row], words: GenericWords) -> list[Column]:
    """The columns of one table, named by kind and position."""
    width = len(paths)
    aligned = [project(r, list(range(width)), width).cells for r in body]  # a narrow 合计 row: amounts on the right
    values = [[norm(cells[j]) for cells in aligned] for j in range(width)]
    kinds = [_kind(paths[j], values[j], words) for j in range(width)]
    columns, counts = [], {}
    for j, (path, kind) in enumerate(zip(paths, kinds, strict=True)):
        label = path or words.columns.unnamed.format(n=j + 1)
        extra: dict = {"header": (path,)}
        if kind in ("code", "code_name", "code_part"):
            classification = _classification(path, _codes(kind, values[j]), words) or "code"
            extra["code"] = classification
            stem = classification
            if kind == "code_part":
                extra["width"] = words.columns.code_parts[path.split("/")[-1]]
                stem = f"{classification}_part"
            elif kind == "code" and j + 1 < width and kinds[j + 1] == "label" and "名称" in paths[j + 1]:
                extra["name_column"] = f"text_{j + 2}"
        else:
            stem = {"amount": "amount", "label": "text"}[kind]
        counts[stem] = counts.get(stem, 0) + 1
        name = f"{stem}_{j + 1}" if stem in ("amount", "text") or kind == "code_part" else stem
        if kind in ("code", "code_name") and counts[stem] > 1:
            name = f"{stem}_{counts[stem]}"
        columns.append(Column(name=name, kind=kind, label=label, **extra))
    return columns


def infer_spec(number: int, section: Section, words: GenericWords | None = None) -> TableSpec:
    """The spec of one printed table, read from its header and cells."""
    words = words or generic_words()
    rows = section.rows
    first = _header_rows(section)
    header = rows[:first] if first is not None else rows
    repeated = {_row_key(r) for r in header}  # the header printed again after a page break
    body = [r for r in rows[first:] if not _column_numbers(r) and _row_key(r) not in repeated] if first else []
    paths = header_paths([r for r in header if not _column_numbers(r)])
    width = max([len(paths), *(len(r.cells) for r in body)], default=0)
    paths += [""] * (width - len(paths))
    table_id = f"{number:02d}"
    columns = _columns(paths, body, words)
    return TableSpec(
        id=table_id,
        key=f"table_{table_id}",
        title_zh=strip_markup(section.title).strip(),
        title=re.compile(re.escape(norm(section.title))),
        parser="grid",
        columns_by="header",
        header_rows=first if first is not None else len(rows),
        columns=tuple(columns),
        decimals=_decimals(body, columns),
        total_label=words.columns.total_label,
    )


def _decimals(body: list[Row], columns: list[Column]) -> int:
    """The decimals the table prints its amounts to (the most any amount cell shows; 2 when none)."""
    at = [j for j, c in enumerate(columns) if c.kind == "amount"]
    shown = [
        len(text.split(".", 1)[1])
        for row in body
        for j in at
        if j < len(row.cells) and parse_amount(text := norm(row.cells[j]))[0] == VALUE and "." in text
    ]
    return max(shown) if shown else (0 if any(j < len(r.cells) and norm(r.cells[j]) for r in body for j in at) else 2)


def add_code_levels(frame: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Grouping keys for the hierarchy checks: each code's 类 (3 digits) and 款 (5) prefix."""
    for classification in code_classifications(spec):
        codes = frame.get(f"{classification}_code")
        if codes is None:
            continue
        for width in LEVELS:
            frame[f"{classification}_code_{width}"] = [
                c[:width] if isinstance(c, str) and c.isdigit() and len(c) > width else None for c in codes
            ]
    return frame


def code_classifications(spec: TableSpec) -> list[str]:
    """The classifications whose codes a table prints (in column order, once each)."""
    return list(dict.fromkeys(c.code for c in spec.columns if c.kind in ("code", "code_name", "code_part")))
