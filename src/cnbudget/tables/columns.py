"""Columns found by what their header prints, not by where they stand.

Tables of one kind are printed with columns in other orders, with extra columns (行次, a line
number) and with group headings over several columns ("本年支出" over 合计, 基本支出, 项目支出;
"预算数"/"决算数" under or over each item of the 三公 table). A spec column of a table located
``columns_by = "header"`` names the words its header path prints (``header = ["本年支出",
"合计"]``); the path of a printed column is the text of every header cell above it, merged
cells included. Each spec column takes the first unused printed column whose path holds all
its words; a column that is not printed is an error unless the spec calls it optional.
"""

from ..errors import LayoutError
from ..layouts import TableSpec
from ..read import Row
from ..textnorm import norm, strip_markup


def header_paths(rows: list[Row]) -> list[str]:
    """For each printed column, the header cells above it (merged cells spread over their span)."""
    width = max((len(r.cells) for r in rows), default=0)
    paths: list[list[str]] = [[] for _ in range(width)]
    for row in rows:
        spans = row.spans or [1] * len(row.cells)
        for j, (cell, span) in enumerate(zip(row.cells, spans, strict=False)):
            text = norm(strip_markup(cell))
            if not text or span == 0:
                continue
            for k in range(j, min(width, j + max(span, 1))):
                if not paths[k] or paths[k][-1] != text:
                    paths[k].append(text)
    return ["/".join(p) for p in paths]


def locate(spec: TableSpec, header: list[Row], line: int) -> list[int | None]:
    """The printed column of each spec column (None: an optional column the table does not print)."""
    paths = header_paths(header)
    used: set[int] = set()
    mapping: list[int | None] = []
    for col in spec.columns:
        words = [norm(w) for w in (col.header or (col.label.split("/")[-1],))]
        order = range(len(paths) - 1, -1, -1) if spec.rightmost else range(len(paths))
        found = next((j for j in order if j not in used and _prints(paths[j], words)), None)
        if found is None and not col.optional:
            printed = "; ".join(p or "(blank)" for p in paths)
            raise LayoutError(
                f"表{spec.id} {spec.title_zh}: no column printing {' + '.join(words)} (for “{col.label}”) "
                f"in the header (line {line}); its columns: {printed}"
            )
        if found is not None:
            used.add(found)
        mapping.append(found)
    return mapping


def _prints(path: str, words: list[str]) -> bool:
    """Does a header path print every word? A word may name alternatives: "决算数|金额"."""
    return all(any(alt in path for alt in word.split("|")) for word in words)


def project(row: Row, mapping: list[int | None], width: int) -> Row:
    """A printed row with its cells in the spec's column order: None where the table does not print
    the column at all, blank where this row leaves the cell empty.

    A row narrower than the header (a 合计 row printed alone on the last page, its label merged
    over the code and name columns) keeps its label in the first column and its amounts in the
    last ones: it is aligned on the right, where the amounts are."""
    cells = list(row.cells)
    if 1 < len(cells) < width:
        cells = [cells[0]] + [""] * (width - len(cells)) + cells[1:]
    return Row(row.line, [None if j is None else cells[j] if j < len(cells) else "" for j in mapping], row.page)
