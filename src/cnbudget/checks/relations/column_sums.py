"""``column_sums``: each amount column's 合计 row against the sum of the detail rows."""

from decimal import Decimal

from ...layouts.relations import ColumnSumsRelation
from ...layouts.selectors import Selector
from ...tables import Extraction
from ...words import say
from ..figures import Figure, resolve, select_rows
from ..records import Check
from .base import instance, lines_text, relation_words


def _prints_amount(rows, columns) -> bool:
    """Does any of these rows print a non-zero amount in these columns?"""
    return any(v not in (None, 0) for c in columns if c in rows.columns for v in rows[c] if v == v)


def run_column_sums(ex: Extraction, rel: ColumnSumsRelation) -> list[Check]:
    table = rel.table
    if not ex.has(table):
        missing = Figure(None, 0, table=table, missing=say("missing_table", table=table))
        return [instance(rel, "", missing, Figure(None, 0), relation_words(rel), say("table", table=table))]
    spec = ex.layout.table(table)
    probe = Selector(table=table, row="any", where=rel.total_where) if rel.total_where else None
    totals = select_rows(ex, probe or Selector(table=table, row="total"))
    details = select_rows(ex, Selector(table=table, row="detail", where=rel.detail_where))
    if details.empty and not totals.empty and not _prints_amount(totals, rel.columns or spec.amount_columns):
        return []  # an empty table: a blank 合计 and nothing under it
    if totals.empty or details.empty:
        # no 合计 row, or no row of the level summed (a table printing names without codes): nothing
        # to add up, which is not a disagreement
        why = say("missing_total_row" if totals.empty else "missing_level_rows", table=table)
        missing = Figure(None, 0, table=table, missing=why)
        return [instance(rel, "", missing, Figure(None, 0), relation_words(rel), say("table", table=table))]
    out = []
    for column in rel.columns or spec.amount_columns:
        label = spec.column_words(column)
        total_sel = Selector(table=table, column=column, row="total")
        if rel.total_where is not None:
            total_sel = Selector(table=table, column=column, row="any", where=rel.total_where)
        detail_sel = Selector(table=table, column=column, row="detail", where=rel.detail_where)
        total, detail = resolve(ex, total_sel), resolve(ex, detail_sel)
        if total.value is None and detail.value is None:
            continue
        if total.value is None:  # a blank total with nothing to sum is not a disagreement
            total = Figure(Decimal(0), 1, table=table, label=say("total_empty"))
        if detail.value is None:
            detail = Figure(Decimal(0), 1, table=table, label=say("detail_none"))
        where = say(
            "table_column_lines", table=table, column=say("column_words", column=label), lines=lines_text(total)
        )
        description = relation_words(rel) + say("brackets", a=label)
        out.append(instance(rel, column, total, detail, description, where))
    return out
