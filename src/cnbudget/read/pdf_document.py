"""Read a published budget PDF into the document model.

Tables are found by their titles: a ruled grid preceded by a heading that ends in 表 starts a
table (the printed label, "公开01表", "表1" or "一、", gives its number); a grid with no heading,
or under the same heading again, continues the table before it (page breaks). Free text is
split into parts by its headings: the narrative (情况说明, 编制说明), the glossary (名词解释)
and the rest (概况, 主要职能); table-of-contents pages open no part.

The document is also rendered as text, one grid row per tab-separated line, in the form of
the text conversions; row line numbers point into that rendering (written beside the outputs
as ``source.txt``), and each row keeps its page number.
"""

import re

import pypdfium2 as pdfium

from ..errors import SourceError
from ..sources import Source
from ..textnorm import norm
from .model import Document, Row, Section
from .pdf_aligned import is_aligned
from .pdf_grid import page_items
from .pdf_headings import GLOSSARY, NARRATIVE, ORDINAL, PAGE_NUMBER, find_heading, is_toc_page, part_of
from .pdf_page import Grid, TextLine, read_page


def open_document(source: Source) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(source.data)
    except pdfium.PdfiumError as exc:
        reason = str(exc)
        if "password" in reason.lower():
            raise SourceError(
                f"{source.path}: the PDF is encrypted (password-protected); save an unprotected copy and register that"
            ) from None
        raise SourceError(
            f"{source.path}: not a readable PDF ({reason.rstrip('.')}); the file may be truncated or damaged: "
            "download it again"
        ) from None


class _Reader:
    """Walks the pages' items top to bottom: free text lines and ruled grids, in zones
    (preamble, tables, narrative, glossary), building the sections and the text rendering."""

    def __init__(self, source: Source):
        self.source = source
        self.rendering: list[str] = []
        self.sections: list[Section] = []
        self.zones: dict[str, list[tuple[int, str]]] = {"preamble": [], "narrative": [], "glossary": []}
        self.pending: list[tuple[int, str]] = []  # free lines since the last grid
        self.free: list[tuple[int, str]] = []  # every free line, for a file without tables
        self.zone, self.current, self.chars, self.toc = "preamble", None, 0, False
        self.line_chars: dict[int, list] = {}
        self.turns: dict[int, int] = {}

    def page(self, page) -> None:
        self.chars += len(page.chars)
        self.turns[page.number] = page.rotation
        self.rendering.append(f"<!-- page {page.number} -->")
        items = page_items(page)
        self.toc = is_toc_page([i.text for i in items if isinstance(i, TextLine)], self.toc)
        for item in items:
            if isinstance(item, TextLine):
                self.text_line(item)
            else:
                self.grid(item)

    def text_line(self, item: TextLine) -> None:
        self.rendering.append(item.text)
        line = (len(self.rendering), item.text)
        self.line_chars[len(self.rendering)] = [(c.text, c.x0, c.top, c.x1, c.bottom) for c in item.chars]
        part = None if self.toc else part_of(item.text)
        if part is not None and not (part == "narrative" and self.zone == "narrative"):
            if self.zone == "tables" and self.current is not None:  # the lines under the last table are its notes
                self.current.notes.extend(self.pending)
                self.pending = []
            self.zone = {"narrative": "narrative", "glossary": "glossary", "other": "preamble"}[part]
        if self.zone == "preamble":
            self.zones["preamble"].append(line)
        if PAGE_NUMBER.match(item.text) or self.toc:
            return
        self.free.append(line)
        self.pending.append(line)
        if self.zone in ("narrative", "glossary"):
            self.zones[self.zone].append(line)

    def grid(self, item: Grid) -> None:
        heading = find_heading([t for _, t in self.pending])
        if is_aligned(item) and heading.title is None and not self._continues(item):
            for line in item.text:  # aligned text that no table heading claims stays free text
                self.text_line(line)
            return
        if self.current is not None and self.zone == "tables":  # notes under the previous grid
            self.current.notes.extend(self.pending[: heading.start] if heading.title is not None else self.pending)
        if heading.title is not None and not self._repeats(heading):
            first_line = self.pending[heading.start][0]
            self._unclaim(first_line)
            unit_line = first_line if heading.unit else None
            self.current = Section(
                heading.number, heading.title, first_line, heading.department, heading.unit, unit_line, page=item.page
            )
            self.sections.append(self.current)
            self.zone = "tables"
        elif heading.title is not None:  # the same heading printed again on the next page
            self._unclaim(self.pending[heading.start][0])
            self.zone = "tables"
        self.pending = []
        if self.current is not None and self.zone == "tables":
            _append_grid(self.current, item, self.rendering)

    def _continues(self, item: Grid) -> bool:
        """A grid without a heading at the top of the page after the current table's last page."""
        c = self.current
        return (
            c is not None
            and self.zone == "tables"
            and bool(c.rows)
            and c.rows[-1].page is not None
            and item.page == c.rows[-1].page + 1
            and not self.pending
        )

    def _repeats(self, heading) -> bool:
        """The heading of the current table printed again above its continuation (佛山: every page)."""
        c = self.current
        same = c is not None and norm(heading.title) == norm(c.title) and heading.number == c.number
        return same and self.zone == "tables"

    def _unclaim(self, first_line: int) -> None:
        """A table's heading lines are not narrative or glossary text."""
        for zone in ("narrative", "glossary"):
            self.zones[zone] = [line for line in self.zones[zone] if line[0] < first_line]

    def document(self, n_pages: int) -> Document:
        if self.chars == 0:
            pages = f"{n_pages} page" + ("s" if n_pages != 1 else "")
            raise SourceError(
                f"{self.source.path}: the PDF has no text layer ({pages}, no characters): "
                "it is a scan or an image; run OCR (for example ocrmypdf) first"
            )
        narrative, glossary, preamble = self.zones["narrative"], self.zones["glossary"], self.zones["preamble"]
        if not self.sections and not narrative:  # a narrative file (文件) published apart from its tables
            narrative, glossary = _narrative_only(self.free)
        text = "\n".join(self.rendering) + "\n"
        title = "".join(t for _, t in preamble[:3] if not PAGE_NUMBER.match(t))
        pages = line_pages(text)
        sections = self.sections
        return Document(
            self.source,
            title,
            sections,
            narrative,
            glossary,
            preamble,
            rendering=text,
            line_pages=pages,
            line_chars=self.line_chars,
            turns=self.turns,
        )


def read_pdf_document(source: Source) -> Document:
    """The document model of a published PDF: titled ruled tables, narrative and glossary."""
    pdf = open_document(source)
    reader = _Reader(source)
    try:
        n_pages = len(pdf)
        for index in range(n_pages):
            try:
                page = read_page(pdf[index], index + 1)
            except pdfium.PdfiumError as exc:  # a damaged page: reading around it could drop table rows
                raise SourceError(
                    f"{source.path}: page {index + 1} of {n_pages} cannot be read ({str(exc).rstrip('.')}); the file "
                    "may be damaged: download it again"
                ) from None
            reader.page(page)
    finally:
        pdf.close()
    return reader.document(n_pages)


def _narrative_only(free: list[tuple[int, str]]) -> tuple[list, list]:
    """Narrative and glossary of a file without tables: from the last 第三部分 heading (the
    first ones are the table of contents; "三、…情况说明" where there is no 第三部分) to the
    glossary heading after it."""
    parts = [k for k, (_, text) in enumerate(free) if norm(text).startswith("第三部分")]
    starts = parts or [k for k, (_, text) in enumerate(free) if NARRATIVE.match(norm(text))]
    if not starts:
        return [], []
    body = free[starts[-1] + 1 :]
    ends = [k for k, (_, text) in enumerate(body) if GLOSSARY.match(norm(text))]
    if ends:
        return body[: ends[0]], body[ends[0] + 1 :]
    return body, []


def _cut_number(section: Section, last: list[str], first: list[str]) -> bool:
    """A row cut by a page break: the next page's first row only continues cells the last row began,
    one of them a number cut short ("12,437.3" and "6": the table prints 2 decimals)."""
    if len(first) != len(last) or not all(last[j] for j, c in enumerate(first) if c):
        return False
    shown = [
        len(c.split(".")[1]) for r in section.rows for c in r.cells if AMOUNT.match(c.replace(",", "")) and "." in c
    ]
    usual = max(set(shown), key=shown.count) if shown else None
    for before, after in zip(last, first, strict=True):
        joined = (before + after).replace(",", "")
        if after and AMOUNT.match(before.replace(",", "")) and AMOUNT.match(joined) and "." in joined:
            if usual is not None and len(joined.split(".")[1]) == usual > len((before.split(".") + [""])[1]):
                return True
    return False


def _append_grid(section: Section, grid: Grid, rendering: list[str]) -> None:
    """Add a grid's rows; at a page break, join a cell that wrapped onto the next page, or a whole
    row cut in two."""
    rows = grid.rows
    if (
        section.rows
        and rows
        and section.rows[-1].page != grid.page
        and _cut_number(section, section.rows[-1].cells, rows[0])
    ):
        last = section.rows[-1]
        last.cells = [before + after for before, after in zip(last.cells, rows[0], strict=True)]
        rendering[last.line - 1] = "\t".join(last.cells)
        section.notes.append((last.line, f"第{grid.page}页首行是上一页最后一行被分页截断的部分，已并入"))
        rows = rows[1:]
    elif section.rows and rows and section.rows[-1].page != grid.page:
        first, last = rows[0], section.rows[-1]
        filled = [j for j, c in enumerate(first) if c]
        if len(filled) == 1 and len(first) == len(last.cells):
            j = filled[0]
            text = first[j]
            if last.cells[j] and not re.match(r"^[\d,.\-]+$", text) and not ORDINAL.match(text) and len(text) <= 4:
                last.cells[j] += text
                rendering[last.line - 1] = "\t".join(last.cells)
                section.notes.append((last.line, f"第{grid.page}页首行“{text}”是上一页最后一行单元格的续行，已并入"))
                rows = rows[1:]
    skipped = len(grid.rows) - len(rows)
    spans = grid.spans[skipped:] if grid.spans else [None] * len(rows)
    boxes = grid.boxes[skipped:] if grid.boxes else [None] * len(rows)
    for cells, span, box in zip(rows, spans, boxes, strict=True):
        rendering.append("\t".join(cells))
        row = Row(len(rendering), list(cells), grid.page, list(span) if span else None, list(box) if box else None)
        section.rows.append(row)


AMOUNT = re.compile(r"^-?\d+(\.\d+)?$")
PAGE_MARKER = re.compile(r"^<!-- page (\d+) -->$")


def line_pages(rendering: str) -> list[int]:
    """Page of every line of a PDF's text rendering (index = 1-based line number; 0 unused)."""
    pages, page = [0], 0
    for line in rendering.splitlines():
        if m := PAGE_MARKER.match(line):
            page = int(m.group(1))
        pages.append(page)
    return pages
