"""What the free text of a PDF says about its tables and parts: table headings (label, title,
department, unit), table-of-contents pages, and the headings that open the narrative
(情况说明, 编制说明), the glossary (名词解释) and the other parts (概况, 主要职能).

Headings are printed in many ways: "公开01表 收支预算总表", "公开表一", "预算表12", "表1:2026年…",
"表 1" on its own line, "一、收支总体情况表", "（一）收支总表", or a title with no label at all that
is numbered only in the table of contents.
"""

import re
from dataclasses import dataclass

from ..textnorm import CN_NUMERAL, cn_number, norm

# a printed label and the table number it gives
LABELS = (
    re.compile(r"(?:公开|预算)(\d{1,2})表[:：]?"),  # 公开01表, 预算01表
    # 公开表一, 预算表12
    re.compile(rf"(?:公开|预算)表({CN_NUMERAL}|\d{{1,2}})(?![\d一二三四五六七八九十])[:：.、]?"),
    re.compile(r"^附?表(\d{1,2})(?![\d])[:：.、\-]?"),  # 表1, 表1:, 附表3
)
ORDINAL = re.compile(rf"^({CN_NUMERAL})、")
PAREN_ORDINAL = re.compile(rf"^\(({CN_NUMERAL})\)")
DEPARTMENT = re.compile(r"(?:编制|预算)?(?:部门|单位)(?:\(单位\))?(?:名称)?[:：](.*)$")
UNIT = re.compile(r"(?:金额)?单位[:：](万元|千元|元)")
PAGE_NUMBER = re.compile(r"^[-—–]?\s*\d{1,3}\s*[-—–]?$")
TITLE_END = ("表", "表)", "目)", "目)表")
TITLE_MAX = 60  # characters: a longer line is prose, not a table title
# a table title names what it counts: a line ending in 表 without one of these words is text
TABLE_WORDS = re.compile(r"预算|决算|收支|收入|支出|经费|采购|绩效|目标|情况|明细|科目|拨款|资金|购买服务")
NEAR = 6  # a heading is one of the last lines above its grid (department and unit lines aside)

# part headings (short lines, never on a table-of-contents page)
NARRATIVE = re.compile(r"^(第三部分|.*(情况说明|编制说明)$)")
GLOSSARY = re.compile(r"^(第四部分|([一二三四五六七八九十]+、)?名词解释$)")
OTHER_PART = re.compile(r"^(第[一二]部分|.*(主要职能|主要职责|机构设置|单位构成)$)")
HEADING_MAX = 40
LEADERS = re.compile(r"[…．.·]{3,}|…{2,}")
TOC_ENTRY_END = ("表", "说明", "情况", "解释", "职能", "职责", "设置", "构成", "概况", "目录")


@dataclass
class Heading:
    start: int | None  # index of the heading's first line among the lines above the grid
    number: str | None  # the printed number ("01"), "--" when the title carries none
    title: str | None
    department: str | None
    unit: str | None


def label_number(key: str) -> tuple[re.Match, str] | None:
    """The printed label of a normalised line and the table number it gives."""
    for pattern in LABELS:
        if m := pattern.search(key):
            value = m.group(1)
            return m, f"{int(value) if value.isdigit() else cn_number(value):02d}"
    return None


def _strip_label(key: str) -> str:
    for pattern in LABELS:
        key = pattern.sub("", key)
    return PAREN_ORDINAL.sub("", ORDINAL.sub("", key))


def _department_and_unit(texts: list[str]) -> tuple[str | None, str | None]:
    department = unit = None
    for i, text in enumerate(texts):
        if m := UNIT.search(norm(text)):
            unit = m.group(1)
        if m := DEPARTMENT.search(norm(text)):
            rest = UNIT.split(m.group(1))[0].strip(" ：:")
            if rest in ("万元", "元", "千元"):
                continue
            if not rest and i + 1 < len(texts) and not UNIT.search(norm(texts[i + 1])):
                rest = norm(texts[i + 1])
            department = rest or department
    return department, unit


def title_like(text: str) -> bool:
    key = norm(text)
    return (
        len(key) <= TITLE_MAX
        and key.endswith(TITLE_END)
        and not key.startswith(("注", "说明"))
        and not re.match(r"^\(\d+\)", key)
        and bool(TABLE_WORDS.search(key))
    )


def _title_from(texts: list[str], start: int, department: str | None) -> tuple[str, int]:
    """The title beginning at line ``start`` (it may wrap onto following lines) and its last line."""
    parts, end = [], start
    for end in range(start, len(texts)):
        key = DEPARTMENT.sub("", _strip_label(norm(texts[end])))
        key = UNIT.sub("", key)
        if department and key == norm(department):
            continue
        parts.append(key)
        if key.endswith(TITLE_END):
            break
    return "".join(parts), end


def _wraps_to_title(texts: list[str], i: int, department: str | None) -> bool:
    """An ordinal line is a heading when it, or it and the next line, make a title ending in 表."""
    title, _ = _title_from(texts[: i + 2], i, department)
    return title.endswith(TITLE_END) and len(title) <= 2 * TITLE_MAX


def find_heading(texts: list[str]) -> Heading:
    """The heading among the free lines above a grid (title None when there is none).

    The heading starts at the last printed label ("公开01表", "表1") or the last line opening with
    an ordinal ("一、…表"); without either, at the last line that reads like a title. It must be
    one of the last lines above the grid: a title further up belongs to a table of contents."""
    department, unit = _department_and_unit(texts)
    near = max(0, _near_start(texts))
    start, number = None, None
    for i in range(near, len(texts)):
        key = norm(texts[i])
        if found := label_number(key):
            start, number = i, found[1]
        elif ((m := ORDINAL.match(key)) or (m := PAREN_ORDINAL.match(key))) and _wraps_to_title(texts, i, department):
            start, number = i, f"{cn_number(m.group(1)):02d}"
    title, end = _title_from(texts, start, department) if start is not None else ("", -1)
    last = max((i for i in range(near, len(texts)) if title_like(texts[i])), default=None)
    if last is not None and last > end:  # a title after the labelled one: the label was the table of contents
        start, number = last, "--"
        title, end = _title_from(texts, last, department)
    if start is None or "表" not in title or not TABLE_WORDS.search(title):
        return Heading(None, None, None, department, unit)
    return Heading(start, number, title, department, unit)


def _near_start(texts: list[str]) -> int:
    """Index of the first of the last NEAR lines that are not a department, unit or page line."""
    count, index = 0, len(texts)
    for i in range(len(texts) - 1, -1, -1):
        index = i
        key = norm(texts[i])
        if not (UNIT.fullmatch(key) or PAGE_NUMBER.match(texts[i].strip())):
            count += 1
        if count >= NEAR:
            break
    return index


def is_heading(text: str) -> bool:
    key = norm(text)
    return len(key) <= HEADING_MAX and "。" not in key and not LEADERS.search(key)


def part_of(text: str) -> str | None:
    """The part a heading line opens: narrative, glossary, other (概况), or None."""
    if not is_heading(text):
        return None
    key = norm(text)
    if GLOSSARY.match(key):
        return "glossary"
    if NARRATIVE.match(key):
        return "narrative"
    if OTHER_PART.match(key):
        return "other"
    return None


def _toc_entry(text: str) -> bool:
    key = norm(text)
    return bool(LEADERS.search(key)) or (
        len(key) <= HEADING_MAX and "。" not in key and (key.endswith(TOC_ENTRY_END) or bool(ORDINAL.match(key)))
    )


def is_toc_page(lines: list[str], previous_was_toc: bool) -> bool:
    """A table-of-contents page: it says 目录, or continues one with nothing but entries."""
    keys = [norm(t) for t in lines if not PAGE_NUMBER.match(t.strip())]
    if any(k in ("目录", "目次") for k in keys):
        return True
    return previous_was_toc and bool(keys) and all(_toc_entry(t) for t in lines if not PAGE_NUMBER.match(t.strip()))
