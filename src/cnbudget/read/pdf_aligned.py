"""Tables drawn without vertical rules ("three-line" tables, or none at all), read by aligning text.

Some departments print a table with only its top, header and bottom rules, or with no rules, or in
a box with no inner vertical rule. Its cells are then found from the text: each visual line is
split where a gap wider than 1.5 character heights separates two runs; a block of at least three
lines that print an amount (with decimals or thousands separators) is a table; its columns are the
x-ranges where the amount lines print their runs (a left-aligned label and right-aligned amounts
overlap line after line); every line of the block, header lines included, is placed into those
columns (a header cell over several columns spans them). The grid keeps its text lines so that a
block the document reader does not take for a table stays free text.
"""

import re
from collections import Counter

from .pdf_page import Box, Char, Grid, Page, TextLine, box_of, union
from .pdf_text import join_chars, text_lines, visual_lines

CELL_GAP = 1.5  # a gap wider than this many character heights separates two cells of a line
NUMBER_GAP = 0.4  # where a number meets words, a gap this wide (in heights) separates two cells
DIGITS = set("0123456789.,-%")
LINE_GAP = 2.5  # lines further apart than this many heights are not rows of one table
MIN_AMOUNT_ROWS = 3
MAX_HEADER_LINES = 4
SLACK = 2.0  # pt: runs this close count as overlapping
# an amount as tables print it: with decimals or with thousands separators (a page number is neither)
AMOUNT = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)\.\d+$|^-?\d{1,3}(,\d{3})+$")
# lines that end a table and start the next: its unit and department, a title ending in 表
NOT_HEADER = re.compile(r"单位[:：]|部门名称|金额单位|编制单位")
NOTE = re.compile(r"^(注|说明|备注)[:：]?")
TITLE = re.compile(r"表\s*([（(][^）)]*[）)])?$")


def _runs(line: list[Char]) -> list[list[Char]]:
    """A line's cells: split at a wide gap, or at a narrower one next to a number (an amount
    right-aligned in its cell, the next cell's label left-aligned: "82,485.86  支出合计")."""
    runs = [[line[0]]]
    for prev, ch in zip(line, line[1:], strict=False):
        gap, height = ch.x0 - prev.x1, max(ch.height, 1.0)
        numeric = prev.text in DIGITS or ch.text in DIGITS  # numbers have no spaces inside
        if gap > CELL_GAP * height or (numeric and gap > NUMBER_GAP * height):
            runs.append([ch])
        else:
            runs[-1].append(ch)
    return runs


def _has_amount(runs: list[list[Char]]) -> bool:
    return any(AMOUNT.match(join_chars(run).replace(" ", "")) for run in runs)


def _blocks(lines: list[list[Char]]) -> list[list[int]]:
    """Runs of consecutive lines close enough to be one table's rows (indices into ``lines``)."""
    blocks: list[list[int]] = []
    for k, line in enumerate(lines):
        height = max(max(c.height for c in line), 1.0)
        if blocks and line[0].top - max(c.bottom for c in lines[blocks[-1][-1]]) <= LINE_GAP * height:
            blocks[-1].append(k)
        else:
            blocks.append([k])
    return blocks


def _bands(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Column bands: the x-ranges of the amount lines' runs, overlapping ones merged."""
    bands: list[list[float]] = []
    for x0, x1 in sorted(intervals):
        if bands and x0 <= bands[-1][1] + SLACK:
            bands[-1][1] = max(bands[-1][1], x1)
        else:
            bands.append([x0, x1])
    return [(a, b) for a, b in bands]


def _place(runs: list[list[Char]], bands: list[tuple[float, float]]) -> tuple[list[str], list[int], list[Box | None]]:
    """One line's cells in the bands, with the box of each: a run over several bands spans them."""
    cells, spans, boxes = [""] * len(bands), [1] * len(bands), [None] * len(bands)
    for run in runs:
        x0, x1 = run[0].x0, run[-1].x1
        hit = [j for j, (a, b) in enumerate(bands) if x0 <= b + SLACK and x1 >= a - SLACK]
        if not hit:
            centre = (x0 + x1) / 2
            hit = [min(range(len(bands)), key=lambda j: abs((bands[j][0] + bands[j][1]) / 2 - centre))]
        first, last = hit[0], hit[-1]
        text = join_chars(run)
        cells[first] = f"{cells[first]} {text}".strip() if cells[first] else text
        boxes[first] = box_of(run) if boxes[first] is None else union([box_of(run), boxes[first]])
        for j in range(first + 1, last + 1):
            spans[j] = 0
        spans[first] = last - first + 1
    return cells, spans, boxes


def _segments(lines: list[list[Char]], block: list[int], runs: dict) -> list[tuple[list[int], bool]]:
    """A block cut where a title or a unit line separates two tables printed close together; each
    segment says whether a title or unit line stands right above it."""
    segments: list[tuple[list[int], bool]] = [([], False)]
    for k in block:
        text = join_chars(lines[k])
        boundary = NOT_HEADER.search(text) or (len(runs[k]) == 1 and TITLE.search(text) and not _has_amount(runs[k]))
        if boundary:
            segments.append(([], True))
            continue
        segments[-1][0].append(k)
    return [(rows, titled) for rows, titled in segments if rows]


def _table(
    page: Page, lines: list[list[Char]], block: list[int], runs: dict, titled: bool
) -> tuple[Grid, list[Char]] | None:
    """The table of a segment: at least three lines printing amounts, or one right under a title."""
    amount_rows = [k for k in block if len(runs[k]) >= 2 and _has_amount(runs[k])]
    if len(amount_rows) < (1 if titled else MIN_AMOUNT_ROWS):
        return None
    first = block.index(amount_rows[0])
    header = block[:first][-MAX_HEADER_LINES:]
    body = [k for k in block[first:] if not NOTE.match(join_chars(lines[k]))]
    rows_at = header + body
    # the columns: where the amount lines with the most common number of cells print them (a 合计
    # label centred over two columns, or a row with blank cells, does not make a column)
    counts = Counter(len(runs[k]) for k in amount_rows)
    modal = max(counts, key=lambda n: (counts[n], n))
    bands = _bands([(run[0].x0, run[-1].x1) for k in amount_rows if len(runs[k]) == modal for run in runs[k]])
    if len(bands) < 2:
        return None
    rows, spans, boxes = [], [], []
    for k in rows_at:
        cells, span, box = _place(runs[k], bands)
        rows.append(cells)
        spans.append(span)
        boxes.append(box)
    chars = [c for k in rows_at for c in lines[k]]
    top, bottom = min(c.top for c in chars), max(c.bottom for c in chars)
    return Grid(page.number, top, bottom, rows, spans, text=text_lines(page, chars), boxes=boxes), chars


def aligned_grids(page: Page, chars: list[Char]) -> tuple[list[Grid], set[int]]:
    """Tables among the free characters of a page, and the characters they took (by id)."""
    lines = visual_lines(chars)
    grids, taken = [], set()
    runs = {k: _runs(line) for k, line in enumerate(lines)}
    for block in _blocks(lines):
        for segment, titled in _segments(lines, block, runs):
            found = _table(page, lines, segment, runs, titled or block[0] == 0)
            if found is not None:
                grid, used = found
                grids.append(grid)
                taken.update(id(c) for c in used)
    return grids, taken


def is_aligned(item: Grid | TextLine) -> bool:
    """A grid read by aligning text (not from ruling lines)."""
    return isinstance(item, Grid) and item.text is not None
