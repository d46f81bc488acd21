"""``sum``: a stated total against the sum of its printed parts."""

from decimal import Decimal

from ...layouts.relations import SumRelation
from ...tables import Extraction
from ...words import Text, join
from ..figures import Figure, describe, resolve
from ..records import Check
from .base import instance, lines_text, places, relation_words


def _sum_figures(figs: list[Figure], label: Text) -> Figure:
    """The sum of several figures; a figure that was not read makes the sum unknown, never smaller."""
    missing = next((f.missing for f in figs if f.value is None), None)
    if missing is not None:
        return Figure(None, 0, table=figs[0].table if figs else "", label=label, missing=missing)
    value = sum((f.value for f in figs), Decimal(0))
    parts = sum(max(f.parts, 1) for f in figs if f.value)
    lines = sorted({line for f in figs for line in f.lines})
    table = figs[0].table if figs else ""
    decimals = min((f.decimals for f in figs), default=2)
    return Figure(value, max(parts, 1), lines, table, decimals, "万元", label, cells=[c for f in figs for c in f.cells])


def run_sum(ex: Extraction, rel: SumRelation) -> list[Check]:
    total = resolve(ex, rel.total)
    parts = _sum_figures([resolve(ex, s) for s in rel.parts], join([describe(s, ex) for s in rel.parts], "plus"))
    return [instance(rel, "", total, parts, relation_words(rel), places(lines_text(total), lines_text(parts)))]
