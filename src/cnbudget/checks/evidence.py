"""Picture evidence: for each failing check on a PDF, the page region where its figures are printed.

The PDF reader keeps the box of every table cell and the characters of every free-text line
(``read.model.Row.boxes``, ``Document.line_chars``), in reading coordinates: top-down, the page
turned upright. Each figure a check compares is looked up there (a table cell by its printed text
on its line, a narrative figure by its digits inside its line), the page is rendered with PDFium
turned the same way, and a crop around the figures is written with each figure outlined. The
check records ``evidence: [{"page", "bbox", "image", "marks"}]``: the crop's box and the outlined
figures' boxes, in points in the upright page (x0, top, x1, bottom); ``image`` is relative to the
output folder.
"""

import hashlib
import re
from decimal import Decimal
from pathlib import Path

from ..money import VALUE, parse_amount
from ..read.pdf_page import union
from ..tables import Extraction
from .records import FAIL, Check

SCALE = 2.0  # pixels per point (144 dpi): the digits of a 9 pt cell stay legible
MARGIN = (48.0, 28.0)  # points of context around the figures (left/right, above/below)
MAX_PAGES = 4  # crops per check
MAX_CELLS = 24  # figures outlined per check (a sum of many rows: its first ones)
OUTLINE = (214, 39, 40)  # red, as a proofreader marks
FOLDER = "evidence"


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


class _Boxes:
    """Where the cells and free-text figures of one extraction are printed."""

    def __init__(self, ex: Extraction):
        doc = ex.document
        self.rows = {row.line: row for section in doc.sections for row in section.rows if row.boxes}
        self.line_chars = doc.line_chars
        self.line_pages = doc.line_pages
        # (line, column) -> (printed text, which of the row's cells printing that text it is: the
        # printed cells are listed left to right, so the second 21,955.35 of a row is its second one)
        self.raw: dict[tuple[int, str], tuple[str, int]] = {}
        seen: dict[tuple[int, str], int] = {}
        amounts = ex.amounts
        for r in amounts.itertuples() if not amounts.empty else []:
            if r.raw:
                key = (int(r.line), _norm(r.raw))
                self.raw[(int(r.line), r.column)] = (r.raw, seen.get(key, 0))
                seen[key] = seen.get(key, 0) + 1

    def _in_row(self, line: int, printed: str, occurrence: int | None = None) -> list[tuple[int, tuple]]:
        row = self.rows.get(line)
        if row is None or not printed:
            return []
        want = _norm(printed)
        hits = [(row.page, box) for text, box in zip(row.cells, row.boxes, strict=False) if box and _norm(text) == want]
        context = union([b for b in row.boxes if b])
        hits = [(page, box, context) for page, box in hits]
        if occurrence is not None and occurrence < len(hits):
            return [hits[occurrence]]
        return hits

    def _in_text(self, line: int, printed: str) -> list[tuple[int, tuple]]:
        chars = self.line_chars.get(line)
        if not chars or not printed or not (0 < line < len(self.line_pages)):
            return []
        text = "".join(c[0] for c in chars)
        at = text.find(printed) if printed in text else text.find(printed.replace(",", ""))
        if at < 0:
            return []
        box = union([c[1:] for c in chars[at : at + len(printed)]])
        return [(self.line_pages[line], box, union([c[1:] for c in chars]))]

    def of(self, cell: tuple) -> list[tuple[int, tuple, tuple]]:
        """(page, box, the box of its row or line) of one printed cell: (line, column, printed text or value)."""
        line, column, printed = int(cell[0]), cell[1], cell[2]
        if column is not None and (line, column) in self.raw:
            return self._in_row(line, *self.raw[(line, column)])
        if isinstance(printed, Decimal):
            return self._valued(line, printed)
        if not printed:  # a whole row (a row printed out of place)
            return self._whole_row(line)
        return self._in_text(line, printed) or self._in_row(line, printed) or self._whole_row(line)

    def _valued(self, line: int, value: Decimal) -> list[tuple[int, tuple]]:
        """The cells of a table row that print ``value`` (a summary table's amount has no column of
        its own in the list of printed cells)."""
        row = self.rows.get(line)
        if row is None:
            return []
        found = []
        for text, box in zip(row.cells, row.boxes, strict=False):
            status, number = parse_amount(_norm(text))
            if box and status == VALUE and number == value:
                found.append((row.page, box, union([b for b in row.boxes if b])))
        return found

    def _whole_row(self, line: int) -> list[tuple[int, tuple, tuple]]:
        row = self.rows.get(line)
        boxes = [b for b in (row.boxes if row else []) if b]
        if not boxes:
            return []
        return [(row.page, union(boxes), union(boxes))]


def _upright(pdf_page, turn: int):
    """A page rendered upright at SCALE (a page turned in print is turned back)."""
    rotation = (turn - pdf_page.get_rotation() % 360) % 360
    return pdf_page.render(scale=SCALE, rotation=rotation).to_pil().convert("RGB")


def _crop(image, boxes: list[tuple], context: list[tuple]):
    """``image`` (a rendered page, drawn on) cut around ``boxes`` and their rows (``context``: the
    row label beside a figure), each figure outlined; with the crop box in points."""
    from PIL import ImageDraw

    around = union(boxes + context)
    x0 = max(around[0] - MARGIN[0], 0)
    top = max(around[1] - MARGIN[1], 0)
    x1 = min(around[2] + MARGIN[0], image.width / SCALE)
    bottom = min(around[3] + MARGIN[1], image.height / SCALE)
    draw = ImageDraw.Draw(image)
    for bx0, btop, bx1, bbottom in boxes:
        pad = 1.5
        draw.rectangle(
            [(bx0 - pad) * SCALE, (btop - pad) * SCALE, (bx1 + pad) * SCALE, (bbottom + pad) * SCALE],
            outline=OUTLINE,
            width=3,
        )
    region = (round(x0 * SCALE), round(top * SCALE), round(x1 * SCALE), round(bottom * SCALE))
    return image.crop(region), (round(x0, 1), round(top, 1), round(x1, 1), round(bottom, 1))


def add_evidence(rows: list[Check], ex: Extraction, out: Path) -> int:
    """Crops for every failing check of a PDF source, written to ``out/evidence``; returns how many.
    Each page is rendered once, however many checks it shows, and only one page is held at a time."""
    if ex.source.kind != "pdf" or ex.document is None:
        return 0
    failing = [r for r in rows if r.status == FAIL]
    if not failing:
        return 0
    import pypdfium2 as pdfium

    boxes = _Boxes(ex)
    crops = []  # (page, row, figure boxes, row boxes): a row's pages in order
    for row in failing:
        found: dict[int, list[tuple]] = {}
        context: dict[int, list[tuple]] = {}
        for cell in (row.left_cells + row.right_cells)[:MAX_CELLS]:
            for page, box, around in boxes.of(cell):
                found.setdefault(page, []).append(box)
                context.setdefault(page, []).append(around)
        crops += [(page, row, found[page], context[page]) for page in sorted(found)[:MAX_PAGES]]
    folder = out / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    pdf = pdfium.PdfDocument(ex.source.path.read_bytes())
    written = 0
    try:
        for page in sorted({c[0] for c in crops if 0 < c[0] <= len(pdf)}):
            rendered = _upright(pdf[page - 1], ex.document.turns.get(page, 0))
            for _, row, figures, around in (c for c in crops if c[0] == page):
                image, bbox = _crop(rendered.copy(), figures, around)
                name = hashlib.sha1(f"{row.id}|{page}".encode()).hexdigest()[:12]
                path = folder / f"{name}-p{page}.png"
                image.save(path, optimize=True)
                marks = [[round(v, 1) for v in box] for box in figures]
                row.evidence.append(
                    {"page": page, "bbox": list(bbox), "image": f"{FOLDER}/{path.name}", "marks": marks}
                )
                written += 1
    finally:
        pdf.close()
    return written
