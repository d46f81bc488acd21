"""What was read: each table of the document, its rows, amount cells and code columns."""

from ..layouts import TableSpec
from ..layouts.generic import generic_words
from ..tables import Extraction
from .i18n import TEXT
from .markup import Markup, e, t, table


def _code_columns(spec: TableSpec) -> list[str]:
    """The classifications a table prints codes of, in words (a code printed in parts counts once)."""
    labels = {c.name: c.label for c in generic_words().classification}
    found = {
        labels.get(c.code) or c.label.split("/")[0]: None
        for c in spec.columns
        if c.kind in ("code", "code_name", "code_part")
    }
    return list(found)


def _status(ex: Extraction, table_id: str, rows: int) -> str:
    kinds = {a.kind for a in ex.anomalies if a.table == table_id}
    if not ex.has(table_id):
        return "unparsed" if "unparsed_table" in kinds or "unmatched_columns" in kinds else "missing"
    return "empty" if "empty_table" in kinds or rows == 0 else "read"


def tables_read(ex: Extraction, lang: str) -> str:
    """One row per table of the layout (for the generic reader: per table printed)."""
    printed = ex.amounts[ex.amounts["raw"] != ""] if not ex.amounts.empty else ex.amounts
    cells = printed.groupby("table").size().to_dict() if not printed.empty else {}  # blank cells not counted
    rows = []
    for spec in ex.layout.tables:
        frames = [f for name, f in ex.frames.items() if ex.frame_tables.get(name) == spec.id]
        count = sum(len(f) for f in frames)
        codes = _code_columns(spec) if ex.has(spec.id) else []
        status = Markup(f'<span class="nowrap">{e(TEXT[lang]["table_status"][_status(ex, spec.id, count)])}</span>')
        rows.append(
            [
                spec.id,
                spec.title_zh,
                Markup(f'<span class="nowrap">{e(ex.units.get(spec.id, ""))}</span>') if ex.has(spec.id) else "",
                count,
                cells.get(spec.id, 0),
                "；".join(codes),
                status,
            ]
        )
    head = [
        "表",
        t(lang, "table_title"),
        t(lang, "unit"),
        t(lang, "rows"),
        t(lang, "amount_cells"),
        t(lang, "code_columns"),
        t(lang, "status"),
    ]
    note = f"<p>{e(t(lang, 'generic_note'))}</p>" if ex.layout.name == "generic" else ""
    return note + f"<p>{e(t(lang, 'tables_read_intro'))}</p>" + table(head, rows, "compact")
