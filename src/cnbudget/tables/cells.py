"""Cell-level parsing shared by every table parser: code-names, amounts, anomalies."""

import re
from dataclasses import asdict, dataclass

from ..money import INVALID, VALUE, parse_amount, to_wanyuan
from ..resources import packaged
from ..textnorm import norm, strip_markup

CODE_NAME = re.compile(r"^([0-9A-Za-z]+)\s*[-－—]\s*(.+)$|^[\[【]([0-9A-Za-z]+)[\]】]\s*(.+)$")
TOTAL_LABEL = re.compile(r"^(合计|总计)$")
# a template's placeholder where a figure or a code is to be written (XX, XXX.XX, …, ……)
PLACEHOLDER = re.compile(r"^(?:[Xx]{2,}(?:\.[Xx]+)?|[…]+|\.{3,})$")


def is_placeholder(raw: str) -> bool:
    return bool(PLACEHOLDER.match(norm(raw)))


@dataclass
class Anomaly:
    """Something in the source that is not as the layout says; never silently repaired."""

    table: str
    line: int
    column: str | None
    kind: str  # invalid_amount | wrong_type | extra_cells | shifted_row | repeated_row | ...
    message: str
    raw: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


PLACEHOLDER_STATUS = "placeholder"


def split_code_name(raw: str) -> tuple[str | None, str | None]:
    """``2120101-行政运行`` or ``[2120101]行政运行`` -> ("2120101", "行政运行"); (None, None) when it
    is not a code-name."""
    m = CODE_NAME.match(strip_markup(raw).strip())
    if not m:
        return None, None
    code, name = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    return code, name.strip()


def function_levels(code: str | None) -> dict:
    """类 (3 digits) / 款 (5) / 项 (7) of a functional classification code."""
    levels = {"function_class_code": None, "function_category_code": None, "function_item_code": None}
    if code and code.isdigit():
        if len(code) >= 3:
            levels["function_class_code"] = code[:3]
        if len(code) >= 5:
            levels["function_category_code"] = code[:5]
        if len(code) >= 7:
            levels["function_item_code"] = code[:7]
    return levels


def is_total_label(raw: str, also: re.Pattern | None = None) -> bool:
    """合计 or 总计 (and whatever else ``also``, a table's own total labels, matches whole)."""
    text = norm(raw)
    return bool(TOTAL_LABEL.match(text) or (also is not None and also.fullmatch(text)))


class CellReader:
    """Reads the cells of one table, collecting amount records and anomalies as it goes."""

    def __init__(self, table: str, unit: str, decimals: int, total_label: re.Pattern | None = None):
        self.table, self.unit, self.decimals, self.total_label = table, unit, decimals, total_label
        self.amounts: list[dict] = []
        self.anomalies: list[Anomaly] = []

    def flag(self, line: int, column: str | None, kind: str, message: str, raw: str | None = None) -> None:
        self.anomalies.append(Anomaly(self.table, line, column, kind, message, raw))

    def amount(self, raw: str, line: int, column: str, label: str, row_label: str):
        """Parse an amount cell, record it in the long frame, flag it when it is not a number."""
        status, value = parse_amount(raw)
        text = strip_markup(raw).strip()
        if status == INVALID and is_placeholder(text):
            status = PLACEHOLDER_STATUS
            self.flag(line, column, "placeholder", f"表{self.table} 第{line}行 “{label}” 是模板占位符: {text!r}", text)
        elif status == INVALID:
            self.flag(line, column, "invalid_amount", f"表{self.table} 第{line}行 “{label}” 不是金额: {text!r}", text)
        self.amounts.append(
            {
                "table": self.table,
                "line": line,
                "row_label": row_label,
                "column": column,
                "column_label": label,
                "raw": text,
                "status": status,
                "amount": value,
                "unit": self.unit,
                "amount_wanyuan": to_wanyuan(value, self.unit) if status == VALUE else None,
            }
        )
        return value

    def code_name(self, raw: str, line: int, column: str, label: str) -> tuple[str | None, str | None]:
        """Split a code-name cell; flag a cell that holds something else (an amount, free text)."""
        text = strip_markup(raw).strip()
        if not text or is_total_label(text, self.total_label):
            return None, None
        code, name = split_code_name(text)
        if code is None and is_placeholder(text):
            self.flag(line, column, "placeholder", f"表{self.table} 第{line}行 “{label}” 是模板占位符: {text!r}", text)
        elif code is None:
            status, _ = parse_amount(text)
            kind = "wrong_type" if status == VALUE else "not_code_name"
            what = "一个金额" if status == VALUE else "不是“编码-名称”格式"
            self.flag(
                line, column, kind, f"表{self.table} 第{line}行 “{label}” 应为“编码-名称”，实为{what}: {text!r}", text
            )
        return code, name


def _load_function_classes() -> dict[str, str]:
    import csv
    import io

    text = packaged("tables", "reference", "function_classes.csv").read_text(encoding="utf-8")
    return {norm(row["name"]): row["code"] for row in csv.DictReader(io.StringIO(text))}


FUNCTION_CLASSES = _load_function_classes()


def function_class_for_name(name: str) -> str | None:
    """3-digit 类 code of a functional class printed by name only (summary tables 01, 06)."""
    return FUNCTION_CLASSES.get(norm(name))
