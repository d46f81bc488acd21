"""The document model: titled sections of rows of cells, each row keeping its source line and page."""

from dataclasses import dataclass, field

from ..sources import Source
from ..textnorm import norm, strip_markup


@dataclass
class Row:
    line: int  # 1-based line number in the source
    cells: list[str]  # original cell text, markup kept
    page: int | None = None  # PDF page (None for text sources)
    spans: list[int] | None = None  # PDF: columns each cell covers (0 under a merged cell); None for text
    boxes: list | None = None  # PDF: where each cell is printed on its page, (x0, top, x1, bottom); None for text

    @property
    def clean(self) -> list[str]:
        return [strip_markup(c).strip() for c in self.cells]


@dataclass
class Section:
    """One table as printed: its heading, stated unit and raw rows (headers included)."""

    number: str  # as printed ("01"); informative only: layouts match titles
    title: str
    line: int
    department: str | None = None
    unit: str | None = None
    unit_line: int | None = None
    rows: list[Row] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)
    page: int | None = None  # PDF page where the table starts

    @property
    def title_key(self) -> str:
        return norm(self.title)


@dataclass
class Document:
    source: Source
    title: str
    sections: list[Section]
    narrative: list[tuple[int, str]]  # (line, text) of 三、情况说明
    glossary: list[tuple[int, str]]  # (line, text) of 四、名词解释
    preamble: list[tuple[int, str]]  # (line, text) before the first table
    rendering: str = ""  # the text that line numbers refer to (a PDF's rendering; a text file itself)
    line_pages: list[int] = field(default_factory=list)  # PDFs: page of each rendering line (index = line)
    # PDFs: the characters of each free-text line (line -> [(text, x0, top, x1, bottom)]), for outlining
    # a narrative figure, and the turn (degrees clockwise) under which each page reads upright
    line_chars: dict[int, list[tuple[str, float, float, float, float]]] = field(default_factory=dict)
    turns: dict[int, int] = field(default_factory=dict)

    def pages_of(self, lines: list[int]) -> list[int]:
        """PDF pages on which the given lines of the rendering are printed (empty for text)."""
        return sorted({self.line_pages[line] for line in lines if 0 < line < len(self.line_pages)})
