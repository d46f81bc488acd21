"""Parsers for the performance tables: 项目支出绩效表 (13) and 整体支出绩效目标表 (14).

Table 13 prints a project row followed by indicator rows that lost their leading (project)
cells; some rows are shifted by one cell, and a project's row is printed again after a page
break. Cells are therefore placed by anchoring on the indicator level (一级指标), not by position.
"""

import pandas as pd

from ..layouts import TableSpec
from ..money import VALUE, parse_amount
from ..read import Row, Section
from ..textnorm import norm, strip_markup
from .cells import CellReader
from .grid import body_rows

INDICATOR_FIELDS = ("level1", "level2", "level3", "operator", "value", "measure_unit", "direction")


def _clean(row: Row) -> list[str]:
    return [strip_markup(c).strip() for c in row.cells]


def _indicator_start(cells: list[str], levels: set[str]) -> int | None:
    return next((i for i, c in enumerate(cells) if c in levels), None)


def parse_project_performance(spec: TableSpec, section: Section, reader: CellReader) -> dict[str, pd.DataFrame]:
    levels = set(spec.indicator_levels)
    names = [c.name for c in spec.columns]
    level1_at = names.index("level1")
    projects: dict[str, dict] = {}
    indicators: list[dict] = []
    current = None
    for row in body_rows(spec, section, reader):
        cells = _clean(row)
        start = _indicator_start(cells, levels)
        if start is None:
            reader.flag(
                row.line,
                None,
                "unparsed_row",
                f"表{spec.id} 第{row.line}行: 无法识别的行（无指标层级）",
                "\t".join(cells),
            )
            continue
        head = cells[:start]
        if any(head):
            current = _project_row(spec, reader, row, head, projects)
        elif start != level1_at:
            lost = "丢失了前导空单元格" if start < level1_at else "多出前导空单元格"
            reader.flag(
                row.line,
                None,
                "shifted_row",
                f"表{spec.id} 第{row.line}行: 指标行错位（{lost}，一级指标位于第{start + 1}列而非第{level1_at + 1}列）",
            )
        if current is None:
            reader.flag(row.line, None, "orphan_indicator", f"表{spec.id} 第{row.line}行: 指标行之前没有项目行")
            continue
        values = (cells[start:] + [""] * 7)[:7]
        indicators.append(
            {
                "table": spec.id,
                "line": row.line,
                "project_code": current["project_code"],
                "project_name": current["project_name"],
                **dict(zip(INDICATOR_FIELDS, values, strict=True)),
            }
        )
        current["indicator_count"] += 1
    frame = pd.DataFrame.from_records(list(projects.values()))
    return {f"{spec.key}_projects": frame, f"{spec.key}_indicators": pd.DataFrame.from_records(indicators)}


def _project_row(spec: TableSpec, reader: CellReader, row: Row, head: list[str], projects: dict) -> dict:
    """Read the project cells before the first indicator; fill in 其他资金 when a row is shifted."""
    unit_code, unit_name = reader.code_name(head[0], row.line, "unit", "单位名称")
    code, name = reader.code_name(head[1] if len(head) > 1 else "", row.line, "project", "项目名称")
    type_code, type_name = reader.code_name(head[2] if len(head) > 2 else "", row.line, "project_type", "项目类别")
    rest = head[5:]
    if len(head) == 8 and rest and reader_is_text(rest[-1]):
        reader.flag(
            row.line,
            "other",
            "shifted_row",
            f"表{spec.id} 第{row.line}行: 项目行错位（“其他资金”单元格缺失，其后各列左移一列）",
        )
        rest = [rest[0], rest[1], "", rest[2]]
    rest = (rest + [""] * 4)[:4]
    key = code or norm(head[1] if len(head) > 1 else "")
    if key in projects:
        first = projects[key]
        reader.flag(
            row.line,
            "project",
            "repeated_row",
            f"表{spec.id} 第{row.line}行: 项目“{name}”在分页处重复（首次出现于第{first['line']}行），保留一次",
            head[1],
        )
        first["repeated_lines"].append(row.line)
        return first
    label = name or head[1]
    project = {
        "table": spec.id,
        "line": row.line,
        "unit_code": unit_code,
        "unit_name": unit_name,
        "project_code": code,
        "project_name": name,
        "project_key": norm(name) if name else None,
        "project_type_code": type_code,
        "project_type_name": type_name,
        "manager": head[3] if len(head) > 3 else "",
        "phone": head[4] if len(head) > 4 else "",
        "total": reader.amount(rest[0], row.line, "total", "项目总额", label),
        "fiscal": reader.amount(rest[1], row.line, "fiscal", "其中/财政资金", label),
        "other": reader.amount(rest[2], row.line, "other", "其中/其他资金", label),
        "target": rest[3],
        "indicator_count": 0,
        "repeated_lines": [],
    }
    projects[key] = project
    return project


def reader_is_text(cell: str) -> bool:
    """A non-empty cell that is not a number (the 绩效目标 text)."""
    return bool(cell) and parse_amount(cell)[0] != VALUE


def parse_overall_performance(spec: TableSpec, section: Section, reader: CellReader) -> dict[str, pd.DataFrame]:
    levels = spec.indicator_levels
    funds_names = spec.funds
    rows = body_rows(spec, section, reader)
    funds, indicators, overall = [], [], {"department": None, "target": None, "other_notes": None}
    in_activities, in_funds = False, False
    for row in rows:
        cells = _clean(row)
        first = norm(cells[0]) if cells else ""
        if first == "部门(单位)名称":
            overall["department"] = next((c for c in cells[1:] if c), None)
        elif first.startswith("总体资金情况"):
            in_funds = True
        elif in_funds and any(reader_number(c) for c in cells):
            values = cells[2:]
            for i, fund in enumerate(funds_names):
                if i < len(values):
                    amount = reader.amount(values[i], row.line, fund, fund, "总体资金情况")
                    funds.append(
                        {
                            "table": spec.id,
                            "line": row.line,
                            "fund": fund,
                            "amount": amount,
                            "status": "value" if amount is not None else "blank",
                        }
                    )
                else:
                    funds.append(
                        {"table": spec.id, "line": row.line, "fund": fund, "amount": None, "status": "missing_column"}
                    )
            in_funds = False
        elif first == "整体绩效目标" and len(cells) > 1 and norm(cells[1]) == "活动":
            in_activities = True
        elif first == "整体绩效目标":
            overall["target"] = next((c for c in cells[1:] if c), None)
        elif first == "其他说明":
            overall["other_notes"] = next((c for c in cells[1:] if c), None)
        elif in_activities:
            indicators.append(_activity_row(spec, reader, row, cells, levels))
    return {
        f"{spec.key}_funds": pd.DataFrame.from_records(funds),
        f"{spec.key}_indicators": pd.DataFrame.from_records(indicators),
        f"{spec.key}_overall": pd.DataFrame.from_records([{"table": spec.id, **overall}]),
    }


def reader_number(cell: str) -> bool:
    return parse_amount(cell)[0] == VALUE


def _activity_row(spec: TableSpec, reader: CellReader, row: Row, cells: list[str], levels: list[str]) -> dict:
    if cells and cells[0] == "":
        cells = cells[1:]
    else:
        reader.flag(row.line, None, "shifted_row", f"表{spec.id} 第{row.line}行: 活动行丢失了前导空单元格")
    activity, indicator = (cells + ["", ""])[:2]
    operator, value, unit = ([c for c in cells[2:] if c] + ["", "", ""])[:3]
    level1 = next((lv for lv in levels if indicator.startswith(lv)), "")
    rest = indicator[len(level1) :]
    cut = rest.find("指标")
    level2, level3 = (rest[: cut + 2], rest[cut + 2 :]) if cut >= 0 else ("", rest)
    amount = None
    if unit == reader.unit and reader_number(value):
        amount = reader.amount(value, row.line, "value", "指标值", f"{activity}/{indicator}")
    return {
        "table": spec.id,
        "line": row.line,
        "activity": activity,
        "indicator": indicator,
        "level1": level1,
        "level2": level2,
        "level3": level3,
        "operator": operator,
        "value": value,
        "measure_unit": unit,
        "amount": amount,
    }
