"""Figures stated in the narrative (情况说明), each with its sentence, unit and what it measures."""

import re
from dataclasses import asdict, dataclass
from decimal import Decimal

import pandas as pd

from ..textnorm import CN_NUMERAL, cn_number, norm

UNIT_KINDS = {
    "万元": "amount",
    "元": "amount",
    "%": "percent",
    "项": "count",
    "个": "count",
    "户": "count",
    "辆": "count",
    "台": "count",
    "套": "count",
    "人": "count",
}
FIGURE = re.compile(r"(?<![\d.])(\d[\d,]*(?:\.\d+)?)\s*(万元|元|%|项|个|户|辆|台\(套\)|台|套|人)")
# "比2023年…增加" or "与上年相比…增加" / "比上年预算减少" (the year before the document's)
CHANGE = re.compile(r"(?:比\s*(\d{4})\s*年|与上年相比|比上年|较上年|上年相比).*?(减少|增加|下降|增长)\s*$")
GROWTH = re.compile(r"(增长|减少|下降|降幅|增幅|增加|压减|上升)\s*$")
# "占59.07%" (of the grand total) or "占“三公”经费的31.14%" (of a named figure)
SHARE = re.compile(r"占([^，,。；;]*?)的?\s*$")
SENTENCE_END = "。；;"
WRAPPED_HEADING = 24  # characters: a numbered line this long without punctuation at its end wraps
CLAUSE_BREAK = re.compile(r"[，,；;：:。、]")
HEADING = re.compile(r"^(#+|\*\*|[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|\d+[.．、](?!\d))")
LABEL_NOISE = re.compile(
    r"本部门|及所属各?预算单位|其中|\d{4}\s*年(度|底)?|预算数为|预算数|共批复|共有|涉及|为$|是$|^共|\s+"
)


def paragraphs(lines: list[tuple[int, str]]):
    """Join lines that break mid-sentence; yield (heading, text, [(offset, line)])."""
    heading, buf, starts = "", "", []
    for line, text in lines:
        text = text.strip()
        # a long numbered line that ends mid-word is a sentence that wraps, not a heading
        wrapped = (
            len(text) >= WRAPPED_HEADING
            and text[-1:] not in SENTENCE_END + "：:）)"
            and not text.startswith(("#", "*"))
        )
        if HEADING.match(text) and not buf:
            heading = text.strip("#* ")
            if not FIGURE.search(text) and not wrapped:
                continue
        starts.append((len(buf), line))
        buf += text
        # a numbered heading ends its paragraph, unless it is a sentence wrapped onto the next line
        if buf[-1:] in SENTENCE_END or (HEADING.match(text) and not FIGURE.search(text) and not wrapped):
            yield heading, buf, starts
            buf, starts = "", []
    if buf:
        yield heading, buf, starts


def _line_at(starts: list[tuple[int, int]], offset: int) -> int:
    line = starts[0][1]
    for start, number in starts:
        if start <= offset:
            line = number
    return line


def _sentence_of(text: str, pos: int) -> str:
    begin = max(text.rfind(ch, 0, pos) for ch in SENTENCE_END) + 1
    ends = [i for i in (text.find(ch, pos) for ch in SENTENCE_END) if i >= 0]
    return text[begin : (min(ends) + 1 if ends else len(text))].strip()


@dataclass
class NarrativeFigure:
    """One figure stated in the narrative, with what it measures and where it is."""

    line: int
    section: str
    value_raw: str
    value: Decimal
    unit: str
    kind: str  # amount | percent | count | change | change_percent
    direction: str | None  # 增加/减少… for a change
    compared_year: int | None  # the year a change compares with
    share_of: str | None  # "占“三公”经费的…": what a percentage is a share of
    label: str
    label_key: str
    clause: str
    sentence: str
    of_amount: Decimal | None = None  # the amount a percentage follows (its numerator)
    of_unit: str | None = None


def _clause(text: str, m: re.Match, clause_start: int) -> tuple[str, str]:
    """(the clause before a figure, the words since the previous figure of its sentence)."""
    breaks = [b.end() for b in CLAUSE_BREAK.finditer(text, 0, m.start())]
    begin = max(breaks[-1] if breaks else 0, clause_start)
    # the words since the previous figure of the same sentence ("与上年相比收、支…各增加")
    sentence_begin = max(text.rfind(ch, 0, m.start()) for ch in SENTENCE_END) + 1
    return text[begin : m.start()], text[max(clause_start, sentence_begin) : m.start()]


# an item named before a colon: "1.住房公积金(项):" / "检察（款）:"
NAMED_ITEM = re.compile(r"(?:^|[，,；;：:。])\s*((?:\d+[.．])?[^，,；;：:。]+?[（(](?:项|款|类)[）)])\s*[:：]\s*$")


def _heading_name(heading: str) -> str:
    """The name a heading gives, without its number and without what follows its first figure or
    colon ("2.提租补贴(项):支出2,586.61万元。" names 提租补贴(项))."""
    name = HEADING.sub("", heading).strip()
    return re.split(r"[:：，,。；;]|\d[\d,.]*\s*(?:万元|元|%)", name, maxsplit=1)[0]


INLINE_HEADING = re.compile(
    r"(?:^|[。；;：:])\s*(?:[（(][一二三四五六七八九十]+[)）]|\d+[.．、](?!\d))\s*([^。，,：:；;\d]+)[。：:]"
)


def _inline_heading(text: str, end: int) -> str:
    """The name of the last numbered item heading before ``end`` in a paragraph, when no figure
    stands between them ("（一）因公出国（境）费用。2026年预算数14.85万元" → 因公出国（境）费用)."""
    found = list(INLINE_HEADING.finditer(text, 0, end))
    if not found or FIGURE.search(text, found[-1].end(), end):
        return ""
    return found[-1].group(1).strip()


def _label(clause: str, since_previous: str, heading: str, text: str, m: re.Match) -> tuple[str, str]:
    """(what a figure measures, the clause it was read from)."""
    if re.search(r"[（(]项[）)]", clause) and "、" in since_previous:  # "公诉、审判、…支出（项）": one name
        clause = since_previous.rsplit("，", 1)[-1]
    label = LABEL_NOISE.sub("", clause)
    # "住房公积金(项):支出1,073.77万元", "检察（款）:2018年预算支出合计16,444.36万元": the item is named
    # before the colon, in the same sentence
    named = NAMED_ITEM.search(since_previous[: len(since_previous) - len(clause)]) if clause else None
    if label and named:
        label = named.group(1) + label
    elif label and heading and not re.sub(r"\((项|款|类)\)|支出", "", norm(label)):  # wrapped: "支出417.06万元"
        label = _heading_name(heading) + label
    if not label:  # "本部门 23 个项目…": the subject follows the figure
        after = CLAUSE_BREAK.search(text, m.end())
        label = LABEL_NOISE.sub("", text[m.end() : after.start() if after else len(text)])[:12]
    if not label:  # "（一）因公出国（境）费用。2026年预算数14.85万元": an item heading inside the paragraph
        label = _inline_heading(text, m.start())
    if not label:  # "2024 年预算数 0 元" under the heading "2.公务接待费"
        label = _heading_name(heading)
    return label, clause


def _figure(
    heading: str, text: str, starts: list, m: re.Match, clause_start: int, year: int | None
) -> tuple[NarrativeFigure, re.Match | None]:
    """The figure matched by ``m`` and the change phrase it belongs to, if any."""
    value_raw, unit = m.group(1), m.group(2)
    unit = "台" if unit == "台(套)" else unit
    clause, since_previous = _clause(text, m, clause_start)
    kind = UNIT_KINDS[unit]
    change = CHANGE.search(since_previous) if kind in ("amount", "percent") else None
    label, clause = _label(clause, since_previous, heading, text, m)
    compared = (int(change.group(1)) if change.group(1) else (year - 1 if year else None)) if change else None
    figure = NarrativeFigure(
        line=_line_at(starts, m.start()),
        section=heading,
        value_raw=value_raw,
        value=Decimal(value_raw.replace(",", "")),
        unit=unit,
        kind="change" if change and kind == "amount" else kind,
        direction=change.group(2) if change else None,
        compared_year=compared,
        share_of=None,
        label=label,
        label_key=norm(label),
        clause=clause.strip(),
        sentence=_sentence_of(text, m.start()),
    )
    return figure, change


def _relate(
    figure: NarrativeFigure,
    change: re.Match | None,
    previous: NarrativeFigure | None,
    last_amount: NarrativeFigure | None,
) -> None:
    """What a figure shares with the figures before it: the item a change or a percentage is about."""
    if change and last_amount is not None:
        figure.label, figure.label_key = last_amount.label, last_amount.label_key
    if figure.kind != "percent":
        return
    if share := SHARE.search(figure.clause):
        figure.share_of = norm(share.group(1).strip('“”"')) or ""
    after_change = previous is not None and previous.kind == "change" and previous.sentence == figure.sentence
    growth = GROWTH.search(figure.clause)
    if change or after_change or growth:
        figure.kind = "change_percent"
        figure.direction = (
            figure.direction or (previous.direction if after_change else None) or (growth.group(1) if growth else None)
        )
    if last_amount is not None:
        figure.of_amount, figure.of_unit = last_amount.value, last_amount.unit
        figure.label, figure.label_key = last_amount.label, last_amount.label_key


def _without_owners(figure: NarrativeFigure, owners: list[str]) -> None:
    """ "上海市普陀区人民政府万里街道办事处收入预算" measures 收入预算: the department's name is not part
    of what a figure measures."""
    label = figure.label
    for owner in owners:
        label = label.replace(owner, "")
    label = re.sub(r"^[(（](部门|单位)[)）]", "", label)
    if label and label != figure.label:
        figure.label, figure.label_key = label, norm(label)


def extract_figures(lines: list[tuple[int, str]], year: int | None = None, owners: list[str] = ()) -> pd.DataFrame:
    """Every figure in the narrative: value, unit, kind, label (what it measures), sentence, line.

    ``year`` is the document's year: "与上年相比" compares with year - 1. ``owners`` are the
    department's names, taken off the labels."""
    figures: list[NarrativeFigure] = []
    owners = sorted({o for o in owners if o and len(o) >= 4}, key=len, reverse=True)
    for heading, text, starts in paragraphs(lines):
        last_amount = None
        clause_start = 0
        for m in FIGURE.finditer(text):
            figure, change = _figure(heading, text, starts, m, clause_start, year)
            _without_owners(figure, owners)
            clause_start = m.end()
            _relate(figure, change, figures[-1] if figures else None, last_amount)
            if figure.kind == "amount" and not change:
                last_amount = figure
            figures.append(figure)
    frame = pd.DataFrame.from_records([asdict(f) for f in figures])
    if not frame.empty:
        frame.insert(0, "figure_id", [f"N{i + 1:02d}" for i in range(len(frame))])
    return frame


def glossary_entries(lines: list[tuple[int, str]]) -> pd.DataFrame:
    """名词解释: numbered "term：definition" entries ("1." or "一、"), continuation lines joined."""
    entries: list[dict] = []
    pending_number = None  # an ordinal printed alone on its line ("八、"), its entry on the next
    for line, text in lines:
        m = GLOSSARY_ENTRY.match(text)
        alone = GLOSSARY_NUMBER.match(text.strip())
        if alone:
            pending_number = _number(alone.group(1))
            continue
        if m or (pending_number is not None and (m := GLOSSARY_TERM.match(text))):
            number = _number(m.group("number")) if m.groupdict().get("number") else pending_number
            entries.append(
                {
                    "line": line,
                    "number": number,
                    "term": m.group("term").strip(),
                    "definition": m.group("definition").strip(),
                }
            )
            pending_number = None
        elif entries and not entries[-1]["definition"].endswith("。"):
            entries[-1]["definition"] += text
    return pd.DataFrame.from_records(entries, columns=["line", "number", "term", "definition"])


GLOSSARY_ENTRY = re.compile(rf"^\s*(?P<number>\d+|{CN_NUMERAL})[.．、]\s*(?P<term>.+?)[:：]\s*(?P<definition>.*)$")
GLOSSARY_NUMBER = re.compile(rf"^(\d+|{CN_NUMERAL})[.．、]$")
GLOSSARY_TERM = re.compile(r"^\s*(?P<term>[^:：]{1,20})[:：]\s*(?P<definition>.*)$")


def _number(text: str) -> int:
    return int(text) if text.isdigit() else cn_number(text)
