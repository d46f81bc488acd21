"""``sum``: a stated total against the sum of its printed parts."""

from decimal import Decimal

from ...layouts.relations import SumRelation
from ...tables import Extraction
from ..figures import Figure, describe, resolve
from ..records import Check
from .base import instance, lines_text


def _sum_figures(figs: list[Figure], label: str) -> Figure:
    present = [f for f in figs if f.value is not None]
    value = sum((f.value for f in present), Decimal(0)) if present else None
    parts = sum(max(f.parts, 1) for f in present if f.value)
    lines = sorted({line for f in figs for line in f.lines})
    missing = next((f.missing for f in figs if f.missing and f.missing.endswith("缺失")), None)
    table = figs[0].table if figs else ""
    return Figure(
        value if missing is None else None,
        max(parts, 1),
        lines,
        table,
        min((f.decimals for f in figs), default=2),
        "万元",
        label,
        missing,
    )


def run_sum(ex: Extraction, rel: SumRelation) -> list[Check]:
    total = resolve(ex, rel.total)
    parts = _sum_figures([resolve(ex, s) for s in rel.parts], " + ".join(describe(s, ex) for s in rel.parts))
    if parts.value is not None and total.value is None and total.missing == "未找到所选行":
        total = Figure(Decimal(0), 1, table=total.table, label=total.label)
    return [instance(rel, "", total, parts, rel.description, f"{lines_text(total)}; {lines_text(parts)}")]
