"""The relation engine: executes a layout's relation catalogue into reconciliation rows.

Each row is one relation instance: left, right, difference and the rounding allowance, in 万元
(counts in 个). great-expectations then validates these rows (see ``checks.gx``). One relation
type per module, looked up by the ``type`` its catalogue entry declares.
"""

from ...tables import Extraction
from ...words import Text, join, say
from ..figures import Figure, resolve, select_rows
from ..records import Check
from .activities import run_activities
from .base import instance, relation_words
from .column_sums import run_column_sums
from .equal import run_equal
from .group_equal import run_group_equal
from .project_match import run_project_match
from .row_sums import run_row_sums
from .sum import run_sum

RUNNERS = {
    "equal": run_equal,
    "sum": run_sum,
    "column_sums": run_column_sums,
    "row_sums": run_row_sums,
    "group_equal": run_group_equal,
    "project_match": run_project_match,
    "activities": run_activities,
}


def tables_of(value) -> set[str]:
    """Every table a relation (or any part of it) names."""
    found, stack = set(), [value.model_dump() if hasattr(value, "model_dump") else value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("table"), str):
                found.add(item["table"])
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return found


def _condition_unmet(ex: Extraction, rel) -> Text | None:
    """Why a conditional relation does not apply to this document (None: it applies)."""
    cond = rel.applies_when
    if cond is None:
        return None
    because = Text(cond.because, cond.because_en or cond.because)
    if cond.printed is not None:
        if ex.has(cond.printed.table) and not select_rows(ex, cond.printed).empty:
            return None
        return say("applies_printed", because=because, table=cond.printed.table)
    left, right = (resolve(ex, s) for s in cond.equal)
    if left.value is not None and right.value is not None and left.value == right.value:
        return None
    shown = [
        say("figure_value", label=f.label, value=f.value if f.value is not None else say("not_read"))
        for f in (left, right)
    ]
    return say("applies_equal", because=because, left=shown[0], right=shown[1])


def run_relations(ex: Extraction) -> list[Check]:
    """Every instance of every relation. A relation that needs a table the document lacks, or whose
    condition the document does not meet, is one not-evaluated check with the reason (``equal``
    compares the figures that were read, pair by pair)."""
    rows = []
    for rel in ex.layout.relations.relation:
        lacking = sorted(t for t in tables_of(rel) if not ex.has(t))
        if lacking and rel.type != "equal":
            why = join([say("missing_table", table=t) for t in lacking])
            missing = Figure(None, 0, table=lacking[0], missing=why)
            where = join([say("table", table=t) for t in lacking])
            rows.append(instance(rel, "", missing, Figure(None, 0), relation_words(rel), where))
            continue
        if not lacking and (reason := _condition_unmet(ex, rel)):
            unmet = Figure(None, 0, missing=reason)
            where = join([say("table", table=t) for t in sorted(tables_of(rel))])
            rows.append(instance(rel, "", unmet, Figure(None, 0), relation_words(rel), where))
            continue
        rows.extend(RUNNERS[rel.type](ex, rel))
    return rows


__all__ = ["RUNNERS", "instance", "run_relations"]
