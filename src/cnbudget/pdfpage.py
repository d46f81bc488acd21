"""Page geometry of a published budget PDF: characters with boxes, ruling lines, ruled grids.

Why PDFium (pypdfium2) and not pdfminer/pdfplumber: PDFium is the engine Chrome uses; it reads
the malformed font dictionaries some of these PDFs carry, and it hands out character boxes
about 20 times faster than pdfminer lays out the same page (see ``benchmarks/bench_pdf.py``).
Tables are rebuilt from the ruling lines the PDF draws: a cell is the area between rules,
so a label that wraps onto a second text line stays in its cell and cannot take the amount
of the row next to it; cells merged across rows or columns are found where a rule is missing.
"""

import ctypes
from bisect import bisect_right
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


def _merge_positions(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= MERGE:
            continue
        out.append(v)
    return out


def _index(bounds: list[float], v: float) -> int:
    return bisect_right(bounds, v) - 1


def _clusters(page: Page) -> list[tuple[float, float, list, list]]:
    """Group rules into vertically separated tables: (top, bottom, h_rules, v_rules)."""
    items = [(r[0], r[0], "h", r) for r in page.h_rules] + [(r[1], r[2], "v", r) for r in page.v_rules]
    items.sort(key=lambda it: it[0])
    clusters: list[list] = []
    for y0, y1, kind, rule in items:
        if clusters and y0 <= clusters[-1][1] + MERGE:
            c = clusters[-1]
            c[1] = max(c[1], y1)
        else:
            c = [y0, y1, [], []]
            clusters.append(c)
        (c[2] if kind == "h" else c[3]).append(rule)
    return [(c[0], c[1], c[2], c[3]) for c in clusters if len(c[2]) >= 2 and len(c[3]) >= 2]


def _covered(segments: list[tuple[float, float]], lo: float, hi: float) -> bool:
    """Do the segments cover at least half of [lo, hi]?"""
    total = 0.0
    for a, b in segments:
        total += max(0.0, min(b, hi) - max(a, lo))
    return total >= 0.5 * (hi - lo)


def _visual_lines(chars: list[Char]) -> list[list[Char]]:
    """Characters grouped into visual lines (centres within half a character height), each left to right."""
    lines: list[list[Char]] = []
    for ch in sorted(chars, key=lambda c: (c.cy, c.x0)):
        if lines and abs(ch.cy - lines[-1][0].cy) <= max(ch.height, 1.0) * 0.5:
            lines[-1].append(ch)
        else:
            lines.append([ch])
    for line in lines:
        line.sort(key=lambda c: c.x0)
    return lines


def _join(chars: list[Char]) -> str:
    """Characters of one cell or line, in reading order; wrapped lines joined without a break."""
    out = []
    for line in _visual_lines(chars):
        text = line[0].text
        for prev, ch in zip(line, line[1:], strict=False):
            gap = ch.x0 - prev.x1
            text += (" " if gap > 0.6 * max(ch.height, 1.0) else "") + ch.text
        if out and out[-1][-1:].isascii() and out[-1][-1:].isalnum() and text[:1].isascii() and text[:1].isalnum():
            out.append(" ")
        out.append(text)
    return "".join(out).strip()


def build_grid(page: Page, top: float, bottom: float, h_rules: list, v_rules: list, chars: list[Char]) -> Grid:
    h_rules = list(h_rules)
    left, right = min(r[0] for r in v_rules), max(r[0] for r in v_rules)
    # A table split by a page break leaves its last (or first) row open: the vertical rules run
    # past the outermost horizontal rule. Close that row where the vertical rules end.
    v_top, v_bottom = min(r[1] for r in v_rules), max(r[2] for r in v_rules)
    if v_top < min(r[0] for r in h_rules) - MIN_BAND:
        h_rules.append((v_top, left, right))
    if v_bottom > max(r[0] for r in h_rules) + MIN_BAND:
        h_rules.append((v_bottom, left, right))
    ys = _merge_positions([r[0] for r in h_rules])
    xs = _merge_positions([r[0] for r in v_rules])
    xs = [x for i, x in enumerate(xs) if i == 0 or x - xs[i - 1] >= MIN_BAND or i == len(xs) - 1]
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    h_at = {i: [] for i in range(len(ys))}
    for y, a, b in h_rules:
        h_at[min(range(len(ys)), key=lambda k: abs(ys[k] - y))].append((a, b))
    v_at = {j: [] for j in range(len(xs))}
    for x, a, b in v_rules:
        v_at[min(range(len(xs)), key=lambda k: abs(xs[k] - x))].append((a, b))
    parent = list(range(n_rows * n_cols))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for i in range(n_rows):
        for j in range(n_cols):
            if i + 1 < n_rows and not _covered(h_at[i + 1], xs[j], xs[j + 1]):
                parent[find((i + 1) * n_cols + j)] = find(i * n_cols + j)
            if j + 1 < n_cols and not _covered(v_at[j + 1], ys[i], ys[i + 1]):
                parent[find(i * n_cols + j + 1)] = find(i * n_cols + j)
    region_chars: dict[int, list[Char]] = {}
    for ch in chars:
        i, j = _index(ys, ch.cy), _index(xs, ch.cx)
        if 0 <= i < n_rows and 0 <= j < n_cols:
            region_chars.setdefault(find(i * n_cols + j), []).append(ch)
    first_cell: dict[int, int] = {}
    for k in range(n_rows * n_cols):
        first_cell.setdefault(find(k), k)
    rows = []
    for i in range(n_rows):
        row = []
        for j in range(n_cols):
            k = i * n_cols + j
            root = find(k)
            row.append(_join(region_chars.get(root, [])) if first_cell[root] == k else "")
        if any(row):
            rows.append(row)
    return Grid(page.number, top, bottom, rows)


def text_lines(page: Page, chars: list[Char]) -> list[TextLine]:
    """Free text as lines, split where a wide gap separates two runs ("部门名称：…   单位：万元")."""
    out: list[TextLine] = []
    for row in _visual_lines(chars):
        runs = [[row[0]]]
        for prev, ch in zip(row, row[1:], strict=False):
            if ch.x0 - prev.x1 > 3 * max(ch.height, 1.0):
                runs.append([ch])
            else:
                runs[-1].append(ch)
        for run in runs:
            out.append(TextLine(page.number, min(c.top for c in run), max(c.bottom for c in run), run[0].x0, run[-1].x1, _join(run)))
    return _rejoin_wrapped(out)


def _rejoin_wrapped(lines: list[TextLine]) -> list[TextLine]:
    """A run of at most 3 characters just below a longer run it overlaps is that run's wrapped end."""
    out: list[TextLine] = []
    for line in lines:
        prev = next((p for p in reversed(out) if p.bottom <= line.top + 1 and line.top - p.bottom < (p.bottom - p.top) * 1.2 and line.x0 < p.x1 and line.x1 > p.x0), None)
        if prev is not None and len(line.text) <= 3 and len(prev.text) >= 4 and prev.text[-1] not in "。；;.":
            prev.text += line.text
            prev.bottom = line.bottom
            continue
        out.append(line)
    return out


def page_items(page: Page) -> list[TextLine | Grid]:
    """Grids and free text lines of a page, top to bottom."""
    items: list[TextLine | Grid] = []
    taken: set[int] = set()
    for top, bottom, h_rules, v_rules in _clusters(page):
        x0 = min(r[0] for r in v_rules) - 1
        x1 = max(r[0] for r in v_rules) + 1
        inside = [k for k, c in enumerate(page.chars) if top - 1 <= c.cy <= bottom + 1 and x0 <= c.cx <= x1]
        grid = build_grid(page, top, bottom, h_rules, v_rules, [page.chars[k] for k in inside])
        if grid.rows:
            items.append(grid)
            taken.update(inside)
    free = [c for k, c in enumerate(page.chars) if k not in taken]
    items.extend(text_lines(page, free))
    items.sort(key=lambda it: it.top)
    return items
