"""Data-quality checks: wrong-type cells, misaligned and repeated rows, one code with two names,
one project spelled differently across tables, mixed punctuation widths."""

import re
from collections import defaultdict

from ..tables import Extraction
from ..textnorm import norm
from .records import MATERIAL, MINOR, Check

# anomaly kind -> (description, severity); severity "material" where an amount or code is affected
ANOMALY_CHECKS = {
    "invalid_amount": ("金额单元格不是数字", MATERIAL),
    "wrong_type": ("单元格内容类型错误（例如“编码-名称”列中出现金额）", MATERIAL),
    "not_code_name": ("“编码-名称”列中的内容不是“编码-名称”格式", MATERIAL),
    "not_code": ("科目编码列中的内容不是编码", MATERIAL),
    "extra_cells": ("行中多出非空单元格", MATERIAL),
    "shifted_row": ("行错位（单元格缺失或左移）", MINOR),
    "repeated_row": ("分页处重复打印的数据行", MINOR),
    "unparsed_row": ("无法识别的行", MATERIAL),
    "unparsed_table": ("表格结构与布局不符，未能提取（其金额未核对）", MINOR),
    "note_contradicts_table": ("表注说本表为空，表中却列有金额", MATERIAL),
    "unpadded_code": ("科目编码缺少前导零（按补零后的编码读取）", MINOR),
    "placeholder": ("模板占位符（XX、…）代替了数字或编码，未填写", MINOR),
}


def _finding(
    check_id: str,
    tables: list[str],
    description: str,
    holds: bool,
    severity: str,
    location: str,
    detail: list | None = None,
) -> Check:
    return Check(
        id=check_id,
        relation=check_id.split("/")[0],
        kind="data_quality",
        tables=tables,
        description=description,
        location=location,
        unit=None,
        holds=holds,
        finding_severity=severity,
        detail=detail or [],
    )


def anomaly_checks(ex: Extraction) -> list[Check]:
    by_kind_table = defaultdict(list)
    for a in ex.anomalies:
        by_kind_table[(a.kind, a.table)].append(a)
    rows = []
    for kind, (description, severity) in ANOMALY_CHECKS.items():
        for spec in ex.layout.tables:
            if not ex.has(spec.id):
                continue
            found = by_kind_table.get((kind, spec.id), [])
            lines = [a.line for a in found]
            location = (
                f"表{spec.id} 第{','.join(map(str, lines[:12]))}{'…' if len(lines) > 12 else ''}行"
                if found
                else f"表{spec.id}"
            )
            desc = f"表{spec.id} {spec.title_zh}：{description}" + (f"，共{len(found)}处" if found else "：无")
            rows.append(
                _finding(
                    f"dq-{kind}/{spec.id}", [spec.id], desc, not found, severity, location, [a.message for a in found]
                )
            )
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
            where = "; ".join(
                f"“{n}” 表{','.join(sorted({t for t, _ in p}))} 第{p[0][1]}行" for n, p in spellings.items()
            )
            if len(keys) > 1:
                desc = f"同一编码 {code}（{classification}）对应不同名称：" + " / ".join(f"“{n}”" for n in spellings)
                rows.append(_finding(f"dq-code-names/{classification}/{code}", tables, desc, False, MATERIAL, where))
            elif len(spellings) > 1:
                desc = f"编码 {code} 的名称在不同处混用全角与半角标点：" + " / ".join(f"“{n}”" for n in spellings)
                rows.append(_finding(f"dq-punctuation/{classification}/{code}", tables, desc, False, MINOR, where))
            else:
                rows.append(
                    _finding(
                        f"dq-code-names/{classification}/{code}",
                        tables,
                        f"编码 {code} 在各表中名称一致：“{next(iter(spellings))}”",
                        True,
                        MINOR,
                        where,
                    )
                )
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
            desc = f"项目名称在表{row.tables[0]}与表{row.tables[-1]}中标点全角/半角不一致：“{left}” / “{right}”"
            kind = "dq-punctuation/project-name"
        else:
            desc = f"同一项目在表{row.tables[0]}与表{row.tables[-1]}中名称不同：“{left}” / “{right}”"
            kind = "dq-project-spelling"
        rows.append(_finding(f"{kind}/{left}", row.tables, desc, False, MINOR, row.location))
    return rows


# a template's placeholder where the narrative should state a figure: "XXX 万元", "XX%"
NARRATIVE_PLACEHOLDER = re.compile(r"[Xx]{2,}(?:\.[Xx]+)?\s*(?:万元|元|%|个|人|辆|项)")


def narrative_placeholder_check(ex: Extraction) -> list[Check]:
    """The narrative states "XXX 万元" where a figure belongs: a template not filled in."""
    lines = ex.document.narrative if ex.document is not None else []
    if not lines:
        return []
    found = [(line, text) for line, text in lines if NARRATIVE_PLACEHOLDER.search(text)]
    shown = ",".join(str(line) for line, _ in found[:12]) + ("…" if len(found) > 12 else "")
    where = f"说明 第{shown}行" if found else "说明"
    count = f"，共{len(found)}处" if found else "：无"
    description = f"说明：模板占位符（XXX 万元、XX%）代替了数字，未填写{count}"
    detail = [f"第{line}行：{text.strip()[:80]}" for line, text in found]
    return [_finding("dq-placeholder/narrative", [], description, not found, MINOR, where, detail)]


def quality_checks(ex: Extraction, project_rows: list[Check]) -> list[Check]:
    return anomaly_checks(ex) + narrative_placeholder_check(ex) + code_name_checks(ex) + spelling_checks(project_rows)
