"""One cause, one finding: a disagreement that a malformed cell explains is linked to it.

A cell printed in the wrong column (an amount where a code belongs, a row shifted by one cell)
takes its row's amounts out of the sums that should hold them; every relation over that table then
disagrees by exactly that row's amount. Such a disagreement is the malformed cell's consequence,
not a second money gap: it is linked to the data-quality finding (``caused_by``), says so with the
line, and is not counted as a failure of its own. The link is arithmetic, never a guess: the
difference must equal an amount the malformed row prints.
"""

from decimal import Decimal

from ..money import VALUE, parse_amount, to_wanyuan
from ..tables import Extraction
from ..words import Text, say
from .records import Check

CELL_KINDS = ("wrong_type", "invalid_amount", "shifted_row", "extra_cells", "unparsed_row")


def _row_amounts(ex: Extraction, table: str, line: int, raw: str | None) -> set[Decimal]:
    """The amounts (万元) a malformed row prints, its misplaced cell included."""
    unit = ex.units.get(table, ex.layout.default_unit)
    cells = ex.amounts[(ex.amounts["table"] == table) & (ex.amounts["line"] == line)] if not ex.amounts.empty else []
    found = {to_wanyuan(Decimal(v), unit) for v in getattr(cells, "amount", []) if isinstance(v, Decimal) and v}
    status, value = parse_amount(raw or "")
    if status == VALUE and value:
        found.add(to_wanyuan(value, unit))
    return found


def link_causes(rows: list[Check], ex: Extraction) -> None:
    """Link each failing relation whose difference is exactly a malformed row's amount to that row."""
    causes = [
        (a, f"dq-{a.kind}/{a.table}", _row_amounts(ex, a.table, a.line, a.raw))
        for a in ex.anomalies
        if a.kind in CELL_KINDS
    ]
    for row in rows:
        if not row.numeric or not row.evaluable or abs(row.difference) <= (row.allowance or 0):
            continue
        for anomaly, finding, amounts in causes:
            if anomaly.table in row.tables and abs(row.difference) in amounts:
                row.caused_by = finding
                row.detail.append(
                    say(
                        "caused_by_cell",
                        difference=abs(row.difference),
                        table=anomaly.table,
                        line=anomaly.line,
                        message=Text.same(anomaly.message),
                    )
                )
                row.location += say("caused_at", table=anomaly.table, line=anomaly.line)
                break
