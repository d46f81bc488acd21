"""Findings as files a journalist opens: ``findings.csv`` (UTF-8 with a BOM, so that Excel shows the
Chinese) and ``findings.xlsx`` (openpyxl), one row per failing or noted check, in both languages."""

import csv
from pathlib import Path

from ..tables.schema import missing
from .records import FAIL

# (column header, how it is taken from a checks.json record)
COLUMNS = [
    ("id", lambda c: c["id"]),
    ("severity", lambda c: c["severity"]),
    ("kind", lambda c: c["kind"]),
    ("tables", lambda c: ",".join(c["tables"])),
    ("description", lambda c: c["description"]),
    ("description_en", lambda c: c.get("description_en", "")),
    ("left_label", lambda c: c.get("left_label", "")),
    ("left_label_en", lambda c: c.get("left_label_en", "")),
    ("left", lambda c: c["left"]),
    ("right_label", lambda c: c.get("right_label", "")),
    ("right_label_en", lambda c: c.get("right_label_en", "")),
    ("right", lambda c: c["right"]),
    ("difference", lambda c: c["difference"]),
    ("allowance", lambda c: c["allowance"]),
    ("unit", lambda c: c.get("unit") or ""),
    ("location", lambda c: c["location"]),
    ("location_en", lambda c: c.get("location_en", "")),
    ("pages", lambda c: ",".join(map(str, c.get("pages", [])))),
    ("evidence", lambda c: "; ".join(e["image"] for e in c.get("evidence", []))),
    ("caused_by", lambda c: c.get("caused_by", "")),
    ("detail", lambda c: " | ".join(c.get("detail", []))),
    ("detail_en", lambda c: " | ".join(c.get("detail_en", []))),
]
ORDER = {"material": 0, "minor": 1, "note": 2, "linked": 3}


def finding_rows(checks: list[dict]) -> list[list]:
    """The failing and noted checks (material first), one list of cells each, in COLUMNS order."""
    failed = sorted((c for c in checks if c["status"] == FAIL), key=lambda c: ORDER.get(c["severity"], 4))
    return [[_cell(get(c)) for _, get in COLUMNS] for c in failed]


def _cell(value):
    return "" if value is None else value


def _safe(value):
    """A text cell that a spreadsheet would take for a formula (=, +, -, @ first) is kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_findings(checks: list[dict], out: Path) -> tuple[Path, Path]:
    """``out/findings.csv`` and ``out/findings.xlsx``; returns their paths."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    rows = finding_rows(checks)
    header = [name for name, _ in COLUMNS]
    csv_path, xlsx_path = out / "findings.csv", out / "findings.xlsx"
    with csv_path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows([[_safe(v) for v in row] for row in rows])
    book = Workbook()
    sheet = book.active
    sheet.title = "findings"
    sheet.append(header)
    for row in rows:
        sheet.append([_safe(v) for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = {"description": 60, "description_en": 60, "location": 40, "location_en": 40, "detail": 50}
    for index, name in enumerate(header, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = widths.get(name, 14)
        for cell in sheet[letter][1:]:
            cell.alignment = Alignment(wrap_text=name in widths, vertical="top")
    sheet.freeze_panes = "A2"
    book.save(xlsx_path)
    return csv_path, xlsx_path


def write_workbook(frames: dict, titles: dict, checks: list[dict], out: Path) -> Path:
    """``out/tables.xlsx``: one sheet per tidy table (amounts as numbers, codes as text, the sheet
    named by table number and frame) and the findings sheet; returns its path."""
    from decimal import Decimal

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)  # streamed: several times faster on documents of many rows
    used: set[str] = set()
    for name, frame in frames.items():
        title = name[:31]
        while title in used:  # sheet names are unique and at most 31 characters
            title = title[:28] + f"~{len(used)}"
        used.add(title)
        sheet = book.create_sheet(title)
        sheet.freeze_panes = "A3"
        heading = WriteOnlyCell(sheet, value=titles.get(name, name))
        heading.font = Font(bold=True)
        sheet.append([heading])
        sheet.append([str(c) for c in frame.columns])
        for row in frame.itertuples(index=False):
            cells = []
            for value in row:
                if isinstance(value, Decimal):
                    cells.append(float(value))  # a spreadsheet holds numbers as floats; the CSV/Parquet are exact
                elif missing(value):
                    cells.append(None)
                else:
                    cells.append(_safe(value if isinstance(value, (int, float)) else str(value)))
            sheet.append(cells)
    sheet = book.create_sheet("findings")
    sheet.append([name for name, _ in COLUMNS])
    for row in finding_rows(checks):
        sheet.append([_safe(v) for v in row])
    path = out / "tables.xlsx"
    book.save(path)
    return path
