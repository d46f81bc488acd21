"""Parsers for the performance tables: 项目支出绩效表 (13) and 整体支出绩效目标表 (14).

Table 13 prints a project row followed by indicator rows that lost their leading (project)
cells; some rows are shifted by one cell, and a project's row is printed again after a page
break. Cells are therefore placed by anchoring on the indicator level (一级指标), not by position.
"""

import re

import pandas as pd

from ..layouts import TableSpec
from ..money import VALUE, parse_amount
from ..read import Row, Section
from ..textnorm import norm, strip_markup
from .cells import CellReader, split_code_name
from .grid import body_rows

INDICATOR_FIELDS = ("level1", "level2", "level3", "operator", "value", "measure_unit", "direction")
DEPARTMENT_LABELS = ("部门(单位)名称", "部门名称", "单位名称")
CODE_START = re.compile(r"^[0-9A-Z]{6,}$")  # a project code cut short: 11000026T00000387


def _clean(row: Row) -> list[str]:
    return [strip_markup(c).strip() for c in row.cells]


def _indicator_start(cells: list[str], levels: set[str]) -> int | None:
    return next((i for i, c in enumerate(cells) if c in levels), None)


def parse_project_performance(spec: TableSpec, section: Section, reader: CellReader) -> dict[str, pd.DataFrame]:
    if spec.columns_by == "header":
        return _projects_by_header(spec, section, reader)
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


def _projects_by_header(spec: TableSpec, section: Section, reader: CellReader) -> dict[str, pd.DataFrame]:
    """A PDF table whose columns were found by their header (北京 2026): a row that prints a project
    name opens the project; the rows under it (its merged cells left blank) carry its indicators.

    A project's merged cells cut by a page break are put back together: either the code, name and
    amounts stand on the first page and the name's end on the next (joined to the project above),
    or only the code's start stands at the foot of the page and the rest, with the amounts, on the
    next (joined to the project below)."""
    names = [c.name for c in spec.columns]
    projects: dict[str, dict] = {}
    indicators: list[tuple[dict, dict]] = []
    current, prefix, waiting = None, None, []
    for row in body_rows(spec, section, reader):
        cells = dict(zip(names, _clean(row), strict=False))
        if cells.get("project") and _continues(current, cells, row):
            current["project_name"] += cells["project"]
            current["project_key"] = norm(current["project_name"])
            current["target"] += cells.get("target", "")
            message = f"表{spec.id} 第{row.line}行: 项目“{current['project_name']}”的单元格跨页，续行已并入"
            reader.flag(row.line, "project", "page_continuation", message, cells["project"])
        elif cells.get("project") and _cut_at_foot(cells):
            prefix, current = (row, cells["project"]), None  # its rest is on the next page
        elif cells.get("project"):
            if prefix is not None and row.page != prefix[0].page:
                message = f"表{spec.id} 第{row.line}行: 项目名称跨页（上一页末行“{prefix[1]}”），已并入"
                reader.flag(row.line, "project", "page_continuation", message, prefix[1])
                cells["project"] = prefix[1] + cells["project"]
            prefix = None
            current = _named_project(spec, reader, row, cells, projects)
            indicators.extend((current, record) for record in waiting)
            current["indicator_count"] += len(waiting)
            waiting = []
        record = {"table": spec.id, "line": row.line, **{f: cells.get(f, "") for f in INDICATOR_FIELDS}}
        if not cells.get("level1") and not cells.get("level3"):
            continue  # a project row that prints no indicator
        if current is None and prefix is not None:
            waiting.append(record)  # an indicator of the project whose name continues on the next page
        elif current is None:
            reader.flag(row.line, None, "orphan_indicator", f"表{spec.id} 第{row.line}行: 指标行之前没有项目行")
        else:
            indicators.append((current, record))
            current["indicator_count"] += 1
    frame = pd.DataFrame.from_records([{k: v for k, v in p.items() if k != "page"} for p in projects.values()])
    records = [  # the project's name as completed (a name that ran onto the next page is whole here)
        {**record, "project_code": project["project_code"], "project_name": project["project_name"]}
        for project, record in indicators
    ]
    return {f"{spec.key}_projects": frame, f"{spec.key}_indicators": pd.DataFrame.from_records(records)}


def _cut_at_foot(cells: dict) -> bool:
    """A project cell holding a code's start and nothing else: no code-name yet, no amount."""
    text = cells["project"]
    return bool(CODE_START.match(text)) and not any(cells.get(c) for c in ("total", "fiscal", "other"))


def _continues(current: dict | None, cells: dict, row: Row) -> bool:
    """A row at the top of a page whose project cell holds no code: the rest of the project above."""
    return (
        current is not None
        and row.page is not None
        and row.page != current["page"]
        and not split_code_name(cells["project"])[0]
        and not any(cells.get(c) for c in ("total", "fiscal", "other"))
    )


def _named_project(spec: TableSpec, reader: CellReader, row: Row, cells: dict, projects: dict) -> dict:
    code, name = reader.code_name(cells["project"], row.line, "project", "项目名称")
    key = code or norm(cells["project"])
    if key in projects:
        first = projects[key]
        message = f"表{spec.id} 第{row.line}行: 项目“{name}”在分页处重复（首次出现于第{first['line']}行），保留一次"
        reader.flag(row.line, "project", "repeated_row", message, cells["project"])
        first["repeated_lines"].append(row.line)
        return first
    label = name or cells["project"]
    project = {
        "table": spec.id,
        "line": row.line,
        "page": row.page,
        "project_code": code,
        "project_name": name,
        "project_key": norm(name) if name else None,
        **{
            column: reader.amount(cells.get(column, ""), row.line, column, spec.column(column).label, label)
            for column in ("total", "fiscal", "other")
        },
        "target": cells.get("target", ""),
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
        words = {norm(c) for c in cells if c}
        if first in DEPARTMENT_LABELS:
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
        elif {"活动", "绩效指标"} <= words:  # the activities' header (北京 2026: its first cell merged)
            in_activities = True
        elif first == "整体绩效目标":
            overall["target"] = next((c for c in cells[1:] if c and norm(c) != "整体绩效目标"), None)
        elif "其他说明" in words and not in_activities:
            after = cells[[norm(c) for c in cells].index("其他说明") + 1 :]
            overall["other_notes"] = next((c for c in after if c), None)
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
    printed = [c for c in cells if c]  # merged cells leave blanks between the printed ones (北京 2026)
    activity, indicator = (printed + ["", ""])[:2]
    operator, value, unit = (printed[2:] + ["", "", ""])[:3]
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
