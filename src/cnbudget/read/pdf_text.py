"""Free text of a PDF page: characters into visual lines and runs, a cell's text in reading order."""

from .pdf_page import Char, Page, TextLine

RUN_GAP = 3.0  # a gap wider than this many character heights separates two runs of free text


def visual_lines(chars: list[Char]) -> list[list[Char]]:
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


def join_chars(chars: list[Char]) -> str:
    """Characters of one cell or line, in reading order; wrapped lines joined without a break."""
    out = []
    for line in visual_lines(chars):
        text = line[0].text
        for prev, ch in zip(line, line[1:], strict=False):
            gap = ch.x0 - prev.x1
            text += (" " if gap > 0.6 * max(ch.height, 1.0) else "") + ch.text
        # a space only between two Latin words; a number or a code wrapped in a narrow cell is one word
        if out and out[-1][-1:].isascii() and out[-1][-1:].isalpha() and text[:1].isascii() and text[:1].isalpha():
            out.append(" ")
        out.append(text)
    return "".join(out).strip()


def text_lines(page: Page, chars: list[Char]) -> list[TextLine]:
    """Free text as lines, split where a wide gap separates two runs ("部门名称：…   单位：万元")."""
    out: list[TextLine] = []
    for row in visual_lines(chars):
        runs = [[row[0]]]
        for prev, ch in zip(row, row[1:], strict=False):
            if ch.x0 - prev.x1 > RUN_GAP * max(ch.height, 1.0):
                runs.append([ch])
            else:
                runs[-1].append(ch)
        for run in runs:
            top, bottom = min(c.top for c in run), max(c.bottom for c in run)
            out.append(TextLine(page.number, top, bottom, run[0].x0, run[-1].x1, join_chars(run), list(run)))
    return _rejoin_wrapped(out)


def _rejoin_wrapped(lines: list[TextLine]) -> list[TextLine]:
    """A run of at most 3 characters just below a longer run it overlaps is that run's wrapped end."""
    out: list[TextLine] = []
    for line in lines:
        prev = next(
            (
                p
                for p in reversed(out)
                if p.bottom <= line.top + 1
                and line.top - p.bottom < (p.bottom - p.top) * 1.2
                and line.x0 < p.x1
                and line.x1 > p.x0
            ),
            None,
        )
        if prev is not None and len(line.text) <= 3 and len(prev.text) >= 4 and prev.text[-1] not in "。；;.":
            prev.text += line.text
            prev.bottom = line.bottom
            continue
        out.append(line)
    return out
