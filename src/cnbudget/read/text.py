"""Reader for text conversions: Markdown headings, tables as tab-separated rows."""

import re

from ..sources import Source
from ..textnorm import strip_markup
from .model import Document, Row, Section

# A table heading: "预算01表 2024年部门（单位）收支总表", possibly inside Markdown (#, **) or <b>.
TABLE_HEADING = re.compile(r"^[#*\s]*(?:<b>)?\s*预算\s*(\d{1,2})\s*表\s*(.+?)\s*(?:</b>)?[*\s]*$")
# Anchored at both ends so that the table of contents ("三、… 情况说明 .....\t28") does not match.
NARRATIVE_HEADING = re.compile(r"^[#*\s]*三、[^\t.…]*情况说明[*\s]*$")
GLOSSARY_HEADING = re.compile(r"^[#*\s]*四、\s*名词解释[*\s]*$")
DEPARTMENT_LINE = re.compile(r"^\s*部门名称[:：]\s*(.+?)\s*$")
UNIT_LINE = re.compile(r"^\s*金额单位[:：]\s*(\S+)\s*$")


def read_text_document(source: Source) -> Document:
    """Split the text conversion into table sections, narrative and glossary."""
    sections: list[Section] = []
    narrative: list[tuple[int, str]] = []
    glossary: list[tuple[int, str]] = []
    preamble: list[tuple[int, str]] = []
    free = {"preamble": preamble, "narrative": narrative, "glossary": glossary}  # text outside tables
    zone, current = "preamble", None
    repeated = False
    for number, raw in enumerate(source.lines, start=1):
        text = raw.rstrip("\r\n")
        stripped = strip_markup(text).strip()
        heading = _table_heading(text, zone, sections)
        repeated = repeated or (heading is not None and zone not in ("preamble", "tables"))
        if heading:
            current = Section(
                number=f"{int(heading.group(1)):02d}", title=strip_markup(heading.group(2)).strip(" *#"), line=number
            )
            sections.append(current)
            zone = "repeat" if repeated else "tables"
        elif zone.startswith("repeat"):  # a repeated document: its tables are read (to warn), not its text
            if GLOSSARY_HEADING.match(stripped) or NARRATIVE_HEADING.match(stripped):
                zone, current = "repeat-text", None
            elif zone == "repeat" and current is not None:
                _add_table_line(current, number, text, stripped)
        elif zone != "glossary" and GLOSSARY_HEADING.match(stripped):
            zone = "glossary"
        elif zone in ("preamble", "tables") and NARRATIVE_HEADING.match(stripped):
            zone = "narrative"
        elif zone in free:
            if stripped:
                free[zone].append((number, stripped))
        elif zone == "tables" and current is not None:
            _add_table_line(current, number, text, stripped)
    title = _document_title(preamble)
    return Document(source, title, sections, narrative, glossary, preamble, rendering=source.text)


def _table_heading(text: str, zone: str, sections: list[Section]) -> re.Match | None:
    """A table's heading line. After the narrative, only a table printed before (same number and
    title) starts a section again: the document is repeated, and extraction warns."""
    heading = TABLE_HEADING.match(text)
    if heading is None or zone in ("preamble", "tables", "repeat"):
        return heading
    again = (f"{int(heading.group(1)):02d}", strip_markup(heading.group(2)).strip(" *#"))
    return heading if again in {(s.number, s.title) for s in sections} else None


def _add_table_line(section: Section, number: int, text: str, stripped: str) -> None:
    if not stripped:
        return
    if "\t" in text:
        section.rows.append(Row(number, text.split("\t")))
        return
    if m := DEPARTMENT_LINE.match(stripped):
        section.department = m.group(1)
    elif m := UNIT_LINE.match(stripped):
        section.unit, section.unit_line = m.group(1), number
    else:
        section.notes.append((number, stripped))


def _document_title(preamble: list[tuple[int, str]]) -> str:
    """The cover lines before the table of contents ("2024年…中心" + "部门预算")."""
    parts = []
    for _, text in preamble:
        if text.lstrip("# ").startswith(("目", "一、")):
            break
        parts.append(text.strip("# "))
    return "".join(parts)
