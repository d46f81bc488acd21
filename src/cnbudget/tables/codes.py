"""Classification codes printed in parts: 类 | 款 | 项 in three columns (上海: 201 | 05 | 07), and
parts printed only where they change (烟台: 205 on the class row, 08 on the category row, 03 on
the item row). The parts of a row are joined into one code; a part left blank is carried from
the row above; a part printed without its leading zero ("2" for 款 02) is padded and noted."""

from ..layouts import Column, TableSpec
from ..textnorm import norm, strip_markup
from .cells import CellReader, function_levels, is_placeholder, is_total_label


def _parts(spec: TableSpec, cells: list[str]) -> dict[str, list[tuple[Column, str]]]:
    found: dict[str, list[tuple[Column, str]]] = {}
    for col, raw in zip(spec.columns, cells, strict=True):
        if col.kind == "code_part" and raw is not None:  # None: a part this table does not print
            found.setdefault(col.code, []).append((col, norm(strip_markup(raw))))
    return found


def _pad(col: Column, text: str, line: int, spec: TableSpec, reader: CellReader) -> str:
    if text.isdigit() and col.width and len(text) < col.width:
        message = f"表{spec.id} 第{line}行 “{col.label}” 印作 {text!r}，缺少前导零，按 {text.zfill(col.width)} 读"
        reader.flag(line, col.name, "unpadded_code", message, text)
        return text.zfill(col.width)
    return text


def join_code_parts(
    spec: TableSpec, cells: list[str], line: int, reader: CellReader, record: dict, carry: dict
) -> None:
    """Each classification's code from its parts, into ``{classification}_code`` and its levels."""
    for code, items in _parts(spec, cells).items():
        texts = [_pad(col, text, line, spec, reader) for col, text in items]
        # the 合计 row: its label printed across the code columns
        if any(is_total_label(t, spec.total_label) for t in texts):
            texts = []
        filled = [k for k, t in enumerate(texts) if t]
        value = None
        if filled and all(t.isdigit() for t in texts if t):
            previous = carry.get(code, [])
            texts = [t or (previous[k] if k < filled[0] and k < len(previous) else "") for k, t in enumerate(texts)]
            joined = texts[: filled[-1] + 1]
            if all(joined):
                value = "".join(joined)
                carry[code] = joined
        elif filled:
            printed = " | ".join(texts)
            placeholder = all(is_placeholder(t) for t in texts if t)
            kind, what = ("placeholder", "模板占位符") if placeholder else ("not_code", "科目编码应为数字，实为")
            reader.flag(line, items[0][0].name, kind, f"表{spec.id} 第{line}行 {what} {printed!r}", printed)
        record[f"{code}_code"] = value
        if code == "function":
            record.update(function_levels(value))
        elif code == "economic":
            record["economic_class_code"] = value[:3] if value and len(value) >= 3 else None
        if isinstance(record.get(f"{code}_name"), str):
            record[f"{code}_key"] = norm(record[f"{code}_name"])
            parent_names(code, value, record, carry)


def parent_names(code: str, value: str | None, record: dict, carry: dict) -> None:
    """The names of a code's 类 and 款, from the rows above that print them (项 names repeat: 一般行政管理事务)."""
    names = carry.setdefault(f"{code}:names", {})
    if value is None or not isinstance(record.get(f"{code}_name"), str):
        return
    names[value] = record[f"{code}_name"]
    for level, width in (("class", 3), ("category", 5)):
        if len(value) > width:
            parent = names.get(value[:width])
            record[f"{code}_{level}_name"] = parent
            record[f"{code}_{level}_key"] = norm(parent) if parent else None
