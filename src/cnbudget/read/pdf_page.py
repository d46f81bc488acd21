"""Page geometry of a published budget PDF: characters with their boxes, and ruling lines.

Why PDFium (pypdfium2) and not pdfminer/pdfplumber: PDFium is the engine Chrome uses; it reads
the malformed font dictionaries some of these PDFs carry, and it hands out character boxes
about 20 times faster than pdfminer lays out the same page (see ``benchmarks/bench_pdf.py``).
Tables are rebuilt from the ruling lines the PDF draws: a cell is the area between rules,
so a label that wraps onto a second text line stays in its cell and cannot take the amount
of the row next to it; cells merged across rows or columns are found where a rule is missing.

Everything is placed in reading coordinates: a landscape table printed on a portrait page and
turned by the page's /Rotate, or by the text matrix, is turned back before it is read, so that
its characters come in reading order (合计, not 计合).
"""

import ctypes
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

RULE_MAX = 2.0  # a ruling line is a dark path at most this thick (pt)
MERGE = 2.0  # rules closer than this are one boundary (double lines, thick borders)
MIN_BAND = 3.0  # narrower column bands are border artefacts and carry no cell
CLIP_SLACK = 1.0  # a character's centre may lie this far outside its clip box (pt) and still be shown


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
    chars: list["Char"] = field(default_factory=list)  # its characters, for finding a figure's box


Box = tuple[float, float, float, float]  # (x0, top, x1, bottom) in reading coordinates


def box_of(chars: list["Char"]) -> Box | None:
    """The box around some characters (None for none)."""
    if not chars:
        return None
    return (min(c.x0 for c in chars), min(c.top for c in chars), max(c.x1 for c in chars), max(c.bottom for c in chars))


def union(boxes: list[Box]) -> Box:
    """The box around some boxes (at least one)."""
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


@dataclass
class Grid:
    """A ruled table fragment on one page: rows of cell texts, merged cells written once."""

    page: int
    top: float
    bottom: float
    rows: list[list[str]] = field(default_factory=list)
    spans: list[list[int]] = field(default_factory=list)  # columns each cell covers (0: covered by a merged cell)
    text: list["TextLine"] | None = None  # a grid read by aligning text: its lines, should it stay free text
    boxes: list[list[Box | None]] = field(default_factory=list)  # each cell's box (where it is printed)


@dataclass
class Page:
    number: int  # 1-based
    chars: list[Char]
    h_rules: list[tuple[float, float, float]]  # (y, x0, x1), top-down reading coordinates
    v_rules: list[tuple[float, float, float]]  # (x, y0, y1)
    rotation: int = 0  # degrees clockwise the page was turned to be read (its /Rotate, or its text's)


Point = tuple[float, float]
Segment = tuple[Point, Point]


def _color(getter, obj) -> tuple[int, int, int, int]:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    ok = getter(obj, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a))
    return (r.value, g.value, b.value, a.value) if ok else (255, 255, 255, 0)


def _dark(rgba: tuple[int, int, int, int]) -> bool:
    """Ink that shows on white paper: black, and the light-gray rules WPS draws (192), but not
    white bars or the pale cell shading (239-247), and nothing transparent."""
    r, g, b, a = rgba
    return a > 0 and max(r, g, b) <= 225


class _Matrix:
    """An affine matrix (a b c d e f) as PDF writes it: x' = a x + c y + e, y' = b x + d y + f."""

    def __init__(self, a=1.0, b=0.0, c=0.0, d=1.0, e=0.0, f=0.0):
        self.a, self.b, self.c, self.d, self.e, self.f = a, b, c, d, e, f

    @classmethod
    def of(cls, obj) -> "_Matrix":
        m = pdfium_c.FS_MATRIX()
        if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
            return cls()
        return cls(m.a, m.b, m.c, m.d, m.e, m.f)

    def then(self, outer: "_Matrix") -> "_Matrix":
        """This matrix followed by ``outer`` (an object inside a form: the form's matrix is outer)."""
        o = outer
        return _Matrix(
            self.a * o.a + self.b * o.c,
            self.a * o.b + self.b * o.d,
            self.c * o.a + self.d * o.c,
            self.c * o.b + self.d * o.d,
            self.e * o.a + self.f * o.c + o.e,
            self.e * o.b + self.f * o.d + o.f,
        )

    def apply(self, x: float, y: float) -> Point:
        return self.a * x + self.c * y + self.e, self.b * x + self.d * y + self.f


def _segments(path, matrix: _Matrix) -> tuple[list[Segment], list[Point]]:
    """Straight segments of a path, and all its points, in user space (its matrices applied)."""
    out, points, start, current = [], [], None, None
    x, y = ctypes.c_float(), ctypes.c_float()
    for k in range(pdfium_c.FPDFPath_CountSegments(path)):
        segment = pdfium_c.FPDFPath_GetPathSegment(path, k)
        if not pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y)):
            continue
        point = matrix.apply(x.value, y.value)
        points.append(point)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = point
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO and current is not None:
            out.append((current, point))
        current = point
        if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None and current != start:
            out.append((current, start))
            current = start
    return out, points


def _paths(objects, matrix: _Matrix):
    """(path, matrix to user space) of every path, also inside form XObjects."""
    for obj in objects:
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            yield obj, _Matrix.of(obj).then(matrix)
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            inner = [pdfium_c.FPDFFormObj_GetObject(obj, k) for k in range(pdfium_c.FPDFFormObj_CountObjects(obj))]
            yield from _paths(inner, _Matrix.of(obj).then(matrix))


def _rule_segments(page: pdfium.PdfPage) -> list[Segment]:
    """Every ruling line the page draws, in user space: a thin dark bar (filled or stroked) is one
    rule along its middle; a stroked outline gives each of its straight segments."""
    top = [pdfium_c.FPDFPage_GetObject(page.raw, k) for k in range(pdfium_c.FPDFPage_CountObjects(page.raw))]
    rules: list[Segment] = []
    for path, matrix in _paths(top, _Matrix()):
        mode, stroke = ctypes.c_int(), ctypes.c_int()
        pdfium_c.FPDFPath_GetDrawMode(path, ctypes.byref(mode), ctypes.byref(stroke))
        filled = mode.value != 0 and _dark(_color(pdfium_c.FPDFPageObj_GetFillColor, path))
        stroked = bool(stroke.value) and _dark(_color(pdfium_c.FPDFPageObj_GetStrokeColor, path))
        if not (filled or stroked):
            continue
        segments, points = _segments(path, matrix)
        if not points:
            continue
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        left, right, bottom, top_ = min(xs), max(xs), min(ys), max(ys)
        if top_ - bottom <= RULE_MAX < right - left:  # a thin bar: one rule
            rules.append(((left, (top_ + bottom) / 2), (right, (top_ + bottom) / 2)))
        elif right - left <= RULE_MAX < top_ - bottom:
            rules.append((((left + right) / 2, bottom), ((left + right) / 2, top_)))
        elif stroked:
            rules.extend(segments)
    return rules


def _object_box(obj) -> tuple[float, float, float, float] | None:
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetBounds(obj, *(ctypes.byref(v) for v in (left, bottom, right, top))):
        return None
    return left.value, bottom.value, right.value, top.value


def _clip_box(obj) -> tuple[float, float, float, float] | None:
    """The box a page object is clipped to (the intersection of its clip paths' boxes), or None."""
    clip = pdfium_c.FPDFPageObj_GetClipPath(obj)
    if not clip:
        return None
    box = None
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(pdfium_c.FPDFClipPath_CountPaths(clip)):
        xs, ys = [], []
        for k in range(pdfium_c.FPDFClipPath_CountPathSegments(clip, i)):
            segment = pdfium_c.FPDFClipPath_GetPathSegment(clip, i, k)
            if segment and pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y)):
                xs.append(x.value)
                ys.append(y.value)
        if xs:
            path = (min(xs), min(ys), max(xs), max(ys))
            box = path if box is None else (*map(max, box[:2], path[:2]), *map(min, box[2:], path[2:]))
    return box


def _inside(box, x: float, y: float, slack: float) -> bool:
    return box[0] - slack <= x <= box[2] + slack and box[1] - slack <= y <= box[3] + slack


def _clipped(boxes, left: float, bottom: float, right: float, top: float) -> bool:
    """A character whose centre lies outside its clip box is not shown (WPS draws a table row cut by a
    page break whole on both pages, each clipped to its own page's part). Only a clip box in page
    space is trusted: one whose object's bounds hold the character (an object inside a form, such as
    a chart, has its bounds and clip in the form's own space, and is kept)."""
    obj_box, clip = boxes
    if clip is None or obj_box is None:
        return False
    cx, cy = (left + right) / 2, (bottom + top) / 2
    return _inside(obj_box, cx, cy, CLIP_SLACK * 2) and not _inside(clip, cx, cy, CLIP_SLACK)


def _raw_chars(textpage) -> list[tuple[str, float, float, float, float]]:
    """(character, left, bottom, right, top) in user space, in the order the page writes them;
    characters clipped out of view are left out."""
    out = []
    boxes: dict[int, tuple | None] = {}
    count = textpage.count_chars()
    for i in range(count):
        code = pdfium_c.FPDFText_GetUnicode(textpage.raw, i)
        if 0xDC00 <= code <= 0xDFFF:  # the second half of a pair (joined below) or a stray half
            continue
        if 0xD800 <= code <= 0xDBFF:  # UTF-16 pair: one character beyond the BMP; half a pair is U+FFFD
            low = pdfium_c.FPDFText_GetUnicode(textpage.raw, i + 1) if i + 1 < count else 0
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00) if 0xDC00 <= low <= 0xDFFF else 0xFFFD
        if code in (0, 0xFFFE, 0xFFFF) or chr(code).isspace():
            continue
        left, bottom, right, top = textpage.get_charbox(i, loose=True)
        if right <= left and top <= bottom:
            continue
        obj = pdfium_c.FPDFText_GetTextObject(textpage.raw, i)
        if obj:
            key = ctypes.cast(obj, ctypes.c_void_p).value
            if key not in boxes:
                boxes[key] = (_object_box(obj), _clip_box(obj))
            if _clipped(boxes[key], left, bottom, right, top):
                continue
        out.append((chr(code), left, bottom, right, top))
    return out


def _to_reading(rotation: int, box: tuple[float, float, float, float]):
    """A function from user-space points to top-down reading coordinates of a page turned by
    ``rotation`` degrees clockwise (``box`` is the media box)."""
    mx0, my0, mx1, my1 = box
    w, h = mx1 - mx0, my1 - my0
    turns = {
        0: lambda u, v: (u, h - v),
        90: lambda u, v: (v, u),
        180: lambda u, v: (w - u, v),
        270: lambda u, v: (h - v, w - u),
    }[rotation]
    return lambda x, y: turns(x - mx0, y - my0)


def _reading_rotation(chars: list, page_rotation: int, box) -> int:
    """The turn under which the page's text reads left to right: each character followed by the
    next one a little to its right on the same line. The page's own /Rotate wins a tie."""
    if len(chars) < 2:
        return page_rotation
    scores = {}
    for rotation in (page_rotation, *(r for r in (0, 90, 180, 270) if r != page_rotation)):
        turn = _to_reading(rotation, box)
        placed = []
        for _, left, bottom, right, top in chars:
            (ax, ay), (bx, by) = turn(left, bottom), turn(right, top)
            placed.append((min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)))
        good = 0
        for (x0, y0, _, y1), (nx0, ny0, _, ny1) in zip(placed, placed[1:], strict=False):
            height = max(y1 - y0, 1.0)
            if 0 < nx0 - x0 <= 3 * height and abs((ny0 + ny1) / 2 - (y0 + y1) / 2) < 0.5 * height:
                good += 1
        scores[rotation] = good
    best = max(scores.values())
    return page_rotation if scores[page_rotation] >= best else max(scores, key=scores.get)


def read_page(page: pdfium.PdfPage, number: int) -> Page:
    """Characters and ruling lines of a page, in reading coordinates (top-down, turned upright)."""
    box = page.get_mediabox()
    textpage = page.get_textpage()
    raw = _raw_chars(textpage)
    textpage.close()
    rotation = _reading_rotation(raw, page.get_rotation() % 360, box)
    turn = _to_reading(rotation, box)
    chars = []
    for text, left, bottom, right, top in raw:
        (ax, ay), (bx, by) = turn(left, bottom), turn(right, top)
        chars.append(Char(text, min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)))
    h_rules, v_rules = [], []
    for a, b in _rule_segments(page):
        (x0, y0), (x1, y1) = turn(*a), turn(*b)
        if abs(y1 - y0) <= RULE_MAX / 2 and abs(x1 - x0) > RULE_MAX:
            h_rules.append(((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
        elif abs(x1 - x0) <= RULE_MAX / 2 and abs(y1 - y0) > RULE_MAX:
            v_rules.append(((x0 + x1) / 2, min(y0, y1), max(y0, y1)))
    return Page(number, chars, h_rules, v_rules, rotation)
