"""Page geometry of a published budget PDF: characters with their boxes, and ruling lines.

Why PDFium (pypdfium2) and not pdfminer/pdfplumber: PDFium is the engine Chrome uses; it reads
the malformed font dictionaries some of these PDFs carry, and it hands out character boxes
about 20 times faster than pdfminer lays out the same page (see ``benchmarks/bench_pdf.py``).
Tables are rebuilt from the ruling lines the PDF draws: a cell is the area between rules,
so a label that wraps onto a second text line stays in its cell and cannot take the amount
of the row next to it; cells merged across rows or columns are found where a rule is missing.
"""

import ctypes
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

RULE_MAX = 2.0  # a ruling line is a dark path at most this thick (pt)
MERGE = 2.0  # rules closer than this are one boundary (double lines, thick borders)
MIN_BAND = 3.0  # narrower column bands are border artefacts and carry no cell


@dataclass
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class TextLine:
    """A run of free text (outside any grid) on one visual line."""

    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    text: str


@dataclass
class Grid:
    """A ruled table fragment on one page: rows of cell texts, merged cells written once."""

    page: int
    top: float
    bottom: float
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Page:
    number: int  # 1-based
    chars: list[Char]
    h_rules: list[tuple[float, float, float]]  # (y, x0, x1), top-down coordinates
    v_rules: list[tuple[float, float, float]]  # (x, y0, y1)


def _color(getter, obj) -> tuple[int, int, int]:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    ok = getter(obj, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a))
    return (r.value, g.value, b.value) if ok else (255, 255, 255)


def _dark(rgb: tuple[int, int, int]) -> bool:
    return sum(rgb) < 3 * 160


def read_page(page: pdfium.PdfPage, number: int) -> Page:
    # character boxes and paths are in user space: flip y against the media box's top (not the
    # displayed height, which a /Rotate 90 page swaps with its width)
    height = page.get_mediabox()[3]
    textpage = page.get_textpage()
    chars = []
    for i in range(textpage.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(textpage.raw, i)
        if code in (0, 0xFFFE, 0xFFFF) or chr(code).isspace():
            continue
        left, bottom, right, top = textpage.get_charbox(i, loose=True)
        if right <= left and top <= bottom:
            continue
        chars.append(Char(chr(code), left, height - top, right, height - bottom))
    h_rules, v_rules = [], []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=1):
        left, bottom, right, top = obj.get_bounds()
        w, h = right - left, top - bottom
        mode, stroke = ctypes.c_int(), ctypes.c_int()
        pdfium_c.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(mode), ctypes.byref(stroke))
        filled = mode.value != 0 and _dark(_color(pdfium_c.FPDFPageObj_GetFillColor, obj.raw))
        stroked = bool(stroke.value) and _dark(_color(pdfium_c.FPDFPageObj_GetStrokeColor, obj.raw))
        if not (filled or stroked):
            continue
        y_top, y_bottom = height - top, height - bottom
        if h <= RULE_MAX and w > RULE_MAX:  # a thin bar, filled or stroked: one rule
            h_rules.append(((y_top + y_bottom) / 2, left, right))
        elif w <= RULE_MAX and h > RULE_MAX:
            v_rules.append(((left + right) / 2, y_top, y_bottom))
        elif stroked:  # a stroked outline: every straight horizontal or vertical segment is a rule
            for (x0, y0), (x1, y1) in _segments(obj.raw):
                if abs(y1 - y0) <= RULE_MAX / 2 and abs(x1 - x0) > RULE_MAX:
                    h_rules.append((height - (y0 + y1) / 2, min(x0, x1), max(x0, x1)))
                elif abs(x1 - x0) <= RULE_MAX / 2 and abs(y1 - y0) > RULE_MAX:
                    v_rules.append(((x0 + x1) / 2, height - max(y0, y1), height - min(y0, y1)))
    textpage.close()
    return Page(number, chars, h_rules, v_rules)


def _segments(path) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """Straight segments of a path object, in page coordinates (the object's matrix applied)."""
    matrix = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(path, ctypes.byref(matrix)):
        return []

    def place(x: float, y: float) -> tuple[float, float]:
        return matrix.a * x + matrix.c * y + matrix.e, matrix.b * x + matrix.d * y + matrix.f

    out, start, current = [], None, None
    x, y = ctypes.c_float(), ctypes.c_float()
    for k in range(pdfium_c.FPDFPath_CountSegments(path)):
        segment = pdfium_c.FPDFPath_GetPathSegment(path, k)
        if not pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y)):
            continue
        point = place(x.value, y.value)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = point
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO and current is not None:
            out.append((current, point))
        current = point
        if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None and current != start:
            out.append((current, start))
            current = start
    return out
