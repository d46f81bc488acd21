"""Data-quality checks: wrong-type cells, misaligned and repeated rows, one code with two names,
one project spelled differently across tables, mixed punctuation widths."""

import re
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from ..tables import Extraction
from ..textnorm import norm
from ..words import Text, join, say, value
from ..words import lines as words_lines
from .records import MATERIAL, MINOR, Check, finding

# anomaly kind -> (description, severity); severity "material" where an amount or code is affected
ANOMALY_CHECKS = {
    "invalid_amount": MATERIAL,
    "wrong_type": MATERIAL,
    "not_code_name": MATERIAL,
    "not_code": MATERIAL,
    "extra_cells": MATERIAL,
    "shifted_row": MINOR,
    "repeated_row": MINOR,
    "unparsed_row": MATERIAL,
    "unparsed_table": MINOR,
    "note_contradicts_table": MATERIAL,
    "unpadded_code": MINOR,
    "placeholder": MINOR,
}  # the words of each are the phrase dq_<kind> of layouts/words.toml


def anomaly_checks(ex: Extraction) -> list[Check]:
    by_kind_table = defaultdict(list)
    for a in ex.anomalies:
        by_kind_table[(a.kind, a.table)].append(a)
    rows = []
    for kind, severity in ANOMALY_CHECKS.items():
        description = say(f"dq_{kind}")
        for spec in ex.layout.tables:
            if not ex.has(spec.id):
                continue
            found = by_kind_table.get((kind, spec.id), [])
            lines = [a.line for a in found]
            location = (
                say("table_lines", table=spec.id, lines=words_lines(lines, 12))
                if found
                else say("table", table=spec.id)
            )
            table = say("table_titled", table=spec.id, title=spec.title_words)
            desc = say("dq_found" if found else "dq_none", table=table, what=description, n=len(found))
            detail = [Text.same(a.message) for a in found]
            check = finding(f"dq-{kind}/{spec.id}", [spec.id], desc, not found, severity, location, detail)
            check.left_lines = lines
            check.left_cells = [(a.line, None, a.raw or None) for a in found]
            rows.append(check)
    return rows


def _code_name_pairs(ex: Extraction, classification: str):
    """(code, raw name, table, line) for every code of a classification in every table."""
    for frame_name, frame in ex.frames.items():
        table = ex.frame_tables[frame_name]
        spec = ex.layout.table(table)
        done: set[str] = set()
        for col in spec.columns:
            if col.code != classification or frame.empty:
                continue
            stem = col.code if col.kind == "code_part" else col.name  # a code printed in parts: one code
            if stem in done:
                continue
            done.add(stem)
            code_col, name_col = f"{stem}_code", f"{stem}_name"
            if classification == "project" and "project_code" in frame.columns:
                code_col, name_col = "project_code", "project_name"
            elif classification == "unit" and "unit_code" in frame.columns and "unit_name" in frame.columns:
                code_col, name_col = "unit_code", "unit_name"
            if code_col not in frame.columns or name_col not in frame.columns:
                continue
            for code, name, line in zip(frame[code_col], frame[name_col], frame["line"], strict=True):
                if isinstance(code, str) and isinstance(name, str) and code and name:
                    yield code, name, table, line


def code_name_checks(ex: Extraction) -> list[Check]:
    rows = []
    for classification in ex.layout.relations.data_quality.code_names:
        names = defaultdict(lambda: defaultdict(list))
        for code, name, table, line in _code_name_pairs(ex, classification):
            names[code][name].append((table, line))
        for code, spellings in sorted(names.items()):
            keys = {norm(n) for n in spellings}
            tables = sorted({t for places in spellings.values() for t, _ in places})
            where = join(
                [
                    Text.same(f"“{n}” ")
                    + say("table_lines", table=",".join(sorted({t for t, _ in p})), line=p[0][1], lines=p[0][1])
                    for n, p in spellings.items()
                ],
                "places",
            )
            names = Text.same(" / ".join(f"“{n}”" for n in spellings))
            what = value("classification", classification)
            if len(keys) > 1:
                desc = say("dq_code_two_names", classification=what, code=code, names=names)
                rows.append(finding(f"dq-code-names/{classification}/{code}", tables, desc, False, MATERIAL, where))
            elif len(spellings) > 1:
                desc = say("dq_code_punctuation", classification=what, code=code, names=names)
                rows.append(finding(f"dq-punctuation/{classification}/{code}", tables, desc, False, MINOR, where))
            else:
                desc = say("dq_code_one_name", classification=what, code=code, names=names)
                rows.append(finding(f"dq-code-names/{classification}/{code}", tables, desc, True, MINOR, where))
    return rows


def spelling_checks(project_rows: list[Check]) -> list[Check]:
    """A project found in two tables under different spellings (from the project matching)."""
    rows = []
    for row in project_rows:
        names = row.names or {}
        left, right = names.get("left"), names.get("right")
        if not left or not right:
            continue
        if left == right:
            continue
        if norm(left) == norm(right):
            phrase, kind = "dq_project_punctuation", "dq-punctuation/project-name"
        else:
            phrase, kind = "dq_project_spelling", "dq-project-spelling"
        desc = say(phrase, a=row.tables[0], b=row.tables[-1], left=left, right=right)
        rows.append(finding(f"{kind}/{left}", row.tables, desc, False, MINOR, row.location))
    return rows


# a template's placeholder where the narrative should state a figure: "XXX 万元", "XX%"
NARRATIVE_PLACEHOLDER = re.compile(r"[Xx]{2,}(?:\.[Xx]+)?\s*(?:万元|元|%|个|人|辆|项)")


def narrative_placeholder_check(ex: Extraction) -> list[Check]:
    """The narrative states "XXX 万元" where a figure belongs: a template not filled in."""
    lines = ex.document.narrative if ex.document is not None else []
    if not lines:
        return []
    found = [(line, text) for line, text in lines if NARRATIVE_PLACEHOLDER.search(text)]
    where = say("narrative_line", line=words_lines([line for line, _ in found], 12)) if found else say("narrative")
    what = say("dq_narrative_placeholder")
    description = say("dq_found" if found else "dq_none", table=say("narrative"), what=what, n=len(found))
    detail = [say("colon", a=say("line_n", line=line), b=text.strip()[:80]) for line, text in found]
    return [finding("dq-placeholder/narrative", [], description, not found, MINOR, where, detail)]


BOUNDS = ("≥", "≤", "=", ">", "<")
# words of an indicator's name that state its bound: 不少于 5 次, 全年不低于120次, 不超过 3 天
STATED_BOUND = re.compile(
    r"(?P<op>不少于|不低于|至少|不超过|不高于|不多于|最多|达到|≥|≤)\s*(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>[^\d\s，,。；;、）)]{1,3})"
)
WORD_OPS = {"不少于": "≥", "不低于": "≥", "至少": "≥", "达到": "≥", "≥": "≥", "不超过": "≤", "不高于": "≤",
            "不多于": "≤", "最多": "≤", "≤": "≤"}  # fmt: skip


def _stem(name: str) -> str:
    """An indicator's name without what its brackets add ("督导（1年）" and "督导（每个个案…）" are one)."""
    return norm(re.sub(r"[（(][^）)]*[）)]", "", name or ""))


def _annual(unit: str) -> str:
    """A unit of an annual budget's indicator: "次/年" is "次" (a year is the period unless said)."""
    return norm(unit or "").removesuffix("/年")


def _number(text) -> Decimal | None:
    try:
        return Decimal(str(text).replace(",", ""))
    except (InvalidOperation, ValueError):
        return None


def indicator_checks(ex: Extraction) -> list[Check]:
    """Project performance indicators checked within their table: one indicator of one project given
    two different bounds with the same operator and unit (≥220 次 and ≥120 次/年), and an indicator
    whose own name states a bound, in the unit it is measured in, that its value contradicts."""
    rows = []
    for spec in ex.layout.tables:
        if spec.parser != "project_performance" or not ex.has(spec.id):
            continue
        frame = ex.frame(spec.id, "indicators")
        if frame.empty or not {"project_name", "level3", "operator", "value", "measure_unit"} <= set(frame.columns):
            continue
        bounded = [r for r in frame.to_dict("records") if r["operator"] in BOUNDS and _number(r["value"]) is not None]
        groups = defaultdict(list)
        for r in bounded:
            groups[(r["project_name"], _stem(r["level3"]), r["operator"], _annual(r["measure_unit"]))].append(r)
        conflicts = [g for g in groups.values() if len({_number(r["value"]) for r in g}) > 1]
        for group in conflicts:
            project, name = group[0]["project_name"], group[0]["level3"]
            bounds = Text.same(" / ".join(f"“{r['operator']}{r['value']}{r['measure_unit']}”" for r in group))
            where = say("table_lines", table=spec.id, lines=words_lines([r["line"] for r in group]))
            desc = say("dq_indicator_bounds", table=spec.id, project=project, indicator=_stem(name), bounds=bounds)
            detail = [Text.same(f"{r['level3']}：{r['operator']}{r['value']}{r['measure_unit']}") for r in group]
            rows.append(finding(f"dq-indicator-bounds/{spec.id}/{project}/{_stem(name)}", [spec.id], desc, False,
                                 MINOR, where, detail))  # fmt: skip
        for r in bounded:
            stated = next(
                (m for m in STATED_BOUND.finditer(r["level3"] or "") if norm(m["unit"]) == norm(r["measure_unit"])),
                None,
            )
            if stated is None or WORD_OPS[stated["op"]] != r["operator"]:
                continue
            if Decimal(stated["value"]) != _number(r["value"]):
                where = say("table_lines", table=spec.id, lines=r["line"])
                desc = say("dq_indicator_text", table=spec.id, project=r["project_name"], indicator=r["level3"],
                           value=f"“{r['operator']}{r['value']}{r['measure_unit']}”")  # fmt: skip
                rows.append(finding(f"dq-indicator-text/{spec.id}/{r['line']}", [spec.id], desc, False, MINOR, where))
        if not conflicts:
            desc = say("dq_indicator_none", table=spec.id)
            rows.append(
                finding(f"dq-indicator-bounds/{spec.id}", [spec.id], desc, True, MINOR, say("table", table=spec.id))
            )
    return rows


def quality_checks(ex: Extraction, project_rows: list[Check]) -> list[Check]:
    return (
        anomaly_checks(ex)
        + narrative_placeholder_check(ex)
        + code_name_checks(ex)
        + spelling_checks(project_rows)
        + indicator_checks(ex)
    )
