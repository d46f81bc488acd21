"""Ruled grids and free text lines of a page: a cell is the area between ruling lines.

Cells merged across rows or columns are found where a rule is missing; a row cut by a page
break is closed where the vertical rules end; free text outside any grid is split into lines.
"""

from bisect import bisect_right

from .pdf_aligned import aligned_grids
from .pdf_page import MERGE, MIN_BAND, Char, Grid, Page, TextLine, box_of
from .pdf_text import join_chars, text_lines


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


def _boundaries(h_rules: list, v_rules: list) -> tuple[list[float], list[float], list]:
    """Row and column boundaries (ys, xs) of a grid, and its horizontal rules.

    A table split by a page break leaves its last (or first) row open: the vertical rules run
    past the outermost horizontal rule. That row is closed where the vertical rules end."""
    h_rules = list(h_rules)
    left, right = min(r[0] for r in v_rules), max(r[0] for r in v_rules)
    v_top, v_bottom = min(r[1] for r in v_rules), max(r[2] for r in v_rules)
    if v_top < min(r[0] for r in h_rules) - MIN_BAND:
        h_rules.append((v_top, left, right))
    if v_bottom > max(r[0] for r in h_rules) + MIN_BAND:
        h_rules.append((v_bottom, left, right))
    ys = _merge_positions([r[0] for r in h_rules])
    xs = _merge_positions([r[0] for r in v_rules])
    xs = [x for i, x in enumerate(xs) if i == 0 or x - xs[i - 1] >= MIN_BAND or i == len(xs) - 1]
    return ys, xs, h_rules


def _rules_at(bounds: list[float], rules: list) -> dict[int, list[tuple[float, float]]]:
    """The extents of the rules drawn along each boundary."""
    at: dict[int, list[tuple[float, float]]] = {i: [] for i in range(len(bounds))}
    for pos, a, b in rules:
        at[min(range(len(bounds)), key=lambda k: abs(bounds[k] - pos))].append((a, b))
    return at


class _Cells:
    """Union-find over the cells of a grid: cells not separated by a rule are one merged cell."""

    def __init__(self, ys: list[float], xs: list[float], h_rules: list, v_rules: list):
        self.n_rows, self.n_cols = len(ys) - 1, len(xs) - 1
        self.parent = list(range(self.n_rows * self.n_cols))
        h_at, v_at = _rules_at(ys, h_rules), _rules_at(xs, v_rules)
        for i in range(self.n_rows):
            for j in range(self.n_cols):
                if i + 1 < self.n_rows and not _covered(h_at[i + 1], xs[j], xs[j + 1]):
                    self.union((i + 1) * self.n_cols + j, i * self.n_cols + j)
                if j + 1 < self.n_cols and not _covered(v_at[j + 1], ys[i], ys[i + 1]):
                    self.union(i * self.n_cols + j + 1, i * self.n_cols + j)

    def find(self, k: int) -> int:
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def union(self, k: int, into: int) -> None:
        self.parent[self.find(k)] = self.find(into)


def build_grid(page: Page, top: float, bottom: float, h_rules: list, v_rules: list, chars: list[Char]) -> Grid:
    """The rows of a ruled grid: each merged cell's text written once, in its first (top-left) cell."""
    ys, xs, h_rules = _boundaries(h_rules, v_rules)
    cells = _Cells(ys, xs, h_rules, v_rules)
    n_rows, n_cols = cells.n_rows, cells.n_cols
    region_chars: dict[int, list[Char]] = {}
    for ch in chars:
        i, j = _index(ys, ch.cy), _index(xs, ch.cx)
        if 0 <= i < n_rows and 0 <= j < n_cols:
            region_chars.setdefault(cells.find(i * n_cols + j), []).append(ch)
    first_cell: dict[int, int] = {}
    last_col: dict[int, int] = {}
    for k in range(n_rows * n_cols):
        root = cells.find(k)
        first_cell.setdefault(root, k)
        last_col[root] = max(last_col.get(root, 0), k % n_cols)
    rows, spans, boxes = [], [], []
    for i in range(n_rows):
        row, span, box = [], [], []
        for j in range(n_cols):
            k = i * n_cols + j
            root = cells.find(k)
            first = first_cell[root] == k
            row.append(join_chars(region_chars.get(root, [])) if first else "")
            span.append(last_col[root] - j + 1 if first else 0)
            box.append(box_of(region_chars.get(root, [])) if first else None)
        if any(row):
            rows.append(row)
            spans.append(span)
            boxes.append(box)
    return Grid(page.number, top, bottom, rows, spans, boxes=boxes)


def _is_table(grid: Grid) -> bool:
    """Rules around text make a table when they hold two rows, or one row of two cells or more; a
    lone ruled box (a chart's legend, a framed note) stays free text."""
    return len(grid.rows) >= 2 or (len(grid.rows) == 1 and sum(bool(c) for c in grid.rows[0]) >= 2)


def page_items(page: Page) -> list[TextLine | Grid]:
    """Grids and free text lines of a page, top to bottom: ruled grids first, then tables whose
    columns are only aligned (pdf_aligned), then the rest as free text. A ruled box with no inner
    vertical rule (one column) is left to the alignment reader."""
    items: list[TextLine | Grid] = []
    taken: set[int] = set()
    for top, bottom, h_rules, v_rules in _clusters(page):
        x0 = min(r[0] for r in v_rules) - 1
        x1 = max(r[0] for r in v_rules) + 1
        inside = [k for k, c in enumerate(page.chars) if top - 1 <= c.cy <= bottom + 1 and x0 <= c.cx <= x1]
        grid = build_grid(page, top, bottom, h_rules, v_rules, [page.chars[k] for k in inside])
        if _is_table(grid) and max(len(r) for r in grid.rows) > 1:
            items.append(grid)
            taken.update(inside)
    free = [c for k, c in enumerate(page.chars) if k not in taken]
    aligned, used = aligned_grids(page, free)
    items.extend(aligned)
    items.extend(text_lines(page, [c for c in free if id(c) not in used]))
    items.sort(key=lambda it: it.top)
    return items
