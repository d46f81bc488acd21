"""Read a published budget PDF into the document model.

Tables are found by their titles: a ruled grid preceded by a heading that ends in 表 starts a
table (the printed label, "公开01表" or "一、", gives its number); a grid with no heading
continues the table before it (page breaks). Free text after the tables is the narrative
(第三部分 …情况说明) and the glossary (第四部分 名词解释).

The document is also rendered as text, one grid row per tab-separated line, in the form of
the text conversions; row line numbers point into that rendering (written beside the outputs
as ``source.txt``), and each row keeps its page number.
"""

import re

import pypdfium2 as pdfium

from ..errors import SourceError
from ..sources import Source
from ..textnorm import cn_number, norm
from .model import Document, Row, Section
from .pdf_grid import page_items
from .pdf_page import Grid, TextLine, read_page

LABEL = re.compile(r"(?:公开|预算)(\d{1,2})表[:：]?")
ORDINAL = re.compile(r"^([一二三四五六七八九十]{1,3})、")
DEPARTMENT = re.compile(r"部门(?:名称)?[:：](.*)$")
UNIT = re.compile(r"(?:金额)?单位[:：](万元|千元|元)")
PAGE_NUMBER = re.compile(r"^-?\d{1,3}-?$")
# Jiangsu: "第三部分 …情况说明" / "第四部分 名词解释"; Beijing: "三、…情况说明" / "四、名词解释"
NARRATIVE = re.compile(r"^(第三部分|三、.*情况说明$)")
GLOSSARY = re.compile(r"^(第四部分|四、名词解释$)")
TITLE_END = ("表", "表)", "目)")
TITLE_MAX = 60  # characters: a longer line is prose, not a table title


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


def _heading(texts: list[str]) -> tuple[int | None, str | None, str | None, str | None, str | None]:
    """(start, number, title, department, unit) from the free lines above a grid; title None if none."""
    department = unit = None
    for i, text in enumerate(texts):
        if m := UNIT.search(norm(text)):
            unit = m.group(1)
        if m := DEPARTMENT.search(text):
            rest = UNIT.split(m.group(1))[0].strip(" ：:")
            if not rest and i + 1 < len(texts) and not UNIT.search(norm(texts[i + 1])):
                rest = texts[i + 1].strip()
            department = rest or department
    # the heading starts at the last printed label ("公开01表") or the last line opening with an
    # ordinal ("一、…表"); without either, at the last line that reads like a title (ends in 表)
    start, number = None, None
    for i, text in enumerate(texts):
        key = norm(text)
        if m := LABEL.search(key):
            start, number = i, f"{int(m.group(1)):02d}"
        elif (m := ORDINAL.match(key)) and _wraps_to_title(texts, i, department):
            start, number = i, f"{cn_number(m.group(1)):02d}"
    title, end = _title_from(texts, start, department) if start is not None else ("", -1)
    last = max((i for i, t in enumerate(texts) if _title_like(t)), default=None)
    if last is not None and last > end:  # a title after the labelled one: the label was the table of contents
        start, number = last, "--"
        title, end = _title_from(texts, start, department)
    if start is None or "表" not in title:
        return None, None, None, department, unit
    return start, number, title, department, unit


def _wraps_to_title(texts: list[str], i: int, department: str | None) -> bool:
    """An ordinal line is a heading when it, or it and the next line, make a title ending in 表."""
    title, end = _title_from(texts[: i + 2], i, department)
    return title.endswith(TITLE_END) and len(title) <= 2 * TITLE_MAX


def _title_like(text: str) -> bool:
    key = norm(text)
    return len(key) <= TITLE_MAX and key.endswith(TITLE_END) and not key.startswith(("注", "说明"))


def _title_from(texts: list[str], start: int, department: str | None) -> tuple[str, int]:
    """The title beginning at line ``start`` (it may wrap onto following lines) and its last line."""
    parts, end = [], start
    for end in range(start, len(texts)):
        key = norm(texts[end])
        key = LABEL.sub("", key)
        key = ORDINAL.sub("", key)
        key = DEPARTMENT.sub("", key)
        key = UNIT.sub("", key)
        if department and key == norm(department):
            continue
        parts.append(key)
        if key.endswith(TITLE_END):
            break
    return "".join(parts), end


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
        self.zone, self.current, self.chars = "preamble", None, 0

    def page(self, page) -> None:
        self.chars += len(page.chars)
        self.rendering.append(f"<!-- page {page.number} -->")
        for item in page_items(page):
            if isinstance(item, TextLine):
                self.text_line(item)
            elif self.zone in ("preamble", "tables"):
                self.grid(item)

    def text_line(self, item: TextLine) -> None:
        self.rendering.append(item.text)
        line = (len(self.rendering), item.text)
        key = norm(item.text)
        if self.zone in ("preamble", "tables") and self.current is not None and NARRATIVE.match(key):
            self.zone = "narrative"
        elif self.zone in ("tables", "narrative") and self.current is not None and GLOSSARY.match(key):
            self.zone = "glossary"
        if self.zone == "preamble":
            self.zones["preamble"].append(line)
        if not PAGE_NUMBER.match(item.text):
            self.free.append(line)
            (self.pending if self.zone in ("preamble", "tables") else self.zones[self.zone]).append(line)

    def grid(self, item: Grid) -> None:
        start, number, title, department, unit = _heading([t for _, t in self.pending])
        if self.current is not None:  # notes under the previous grid, up to the next heading
            self.current.notes.extend(self.pending[:start] if title is not None else self.pending)
        if title is not None:
            first_line = self.pending[start][0]
            unit_line = first_line if unit else None
            self.current = Section(number, title, first_line, department, unit, unit_line, page=item.page)
            self.sections.append(self.current)
            self.zone = "tables"
        self.pending = []
        if self.current is not None:
            _append_grid(self.current, item, self.rendering)

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
        return Document(
            self.source, title, self.sections, narrative, glossary, preamble, rendering=text, line_pages=pages
        )


def read_pdf_document(source: Source) -> Document:
    """The document model of a published PDF: titled ruled tables, narrative and glossary."""
    pdf = open_document(source)
    reader = _Reader(source)
    try:
        n_pages = len(pdf)
        for index in range(n_pages):
            reader.page(read_page(pdf[index], index + 1))
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


def _append_grid(section: Section, grid: Grid, rendering: list[str]) -> None:
    """Add a grid's rows; at a page break, join a cell that wrapped onto the next page."""
    rows = grid.rows
    if section.rows and rows and section.rows[-1].page != grid.page:
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
    for cells in rows:
        rendering.append("\t".join(cells))
        section.rows.append(Row(len(rendering), list(cells), grid.page))


PAGE_MARKER = re.compile(r"^<!-- page (\d+) -->$")


def line_pages(rendering: str) -> list[int]:
    """Page of every line of a PDF's text rendering (index = 1-based line number; 0 unused)."""
    pages, page = [0], 0
    for line in rendering.splitlines():
        if m := PAGE_MARKER.match(line):
            page = int(m.group(1))
        pages.append(page)
    return pages
