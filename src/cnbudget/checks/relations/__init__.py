"""The relation engine: executes a layout's relation catalogue into reconciliation rows.

Each row is one relation instance: left, right, difference and the rounding allowance, in 万元
(counts in 个). great-expectations then validates these rows (see ``checks.gx``). One relation
type per module, looked up by the ``type`` its catalogue entry declares.
"""

from ...tables import Extraction
from ..figures import Figure, resolve, select_rows
from ..records import Check
from .activities import run_activities
from .base import instance
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


def _condition_unmet(ex: Extraction, rel) -> str | None:
    """Why a conditional relation does not apply to this document (None: it applies)."""
    cond = rel.applies_when
    if cond is None:
        return None
    if cond.printed is not None:
        if ex.has(cond.printed.table) and not select_rows(ex, cond.printed).empty:
            return None
        return f"仅当{cond.because}时成立；本文件的表{cond.printed.table}没有这样的行"
    left, right = (resolve(ex, s) for s in cond.equal)
    if left.value is not None and right.value is not None and left.value == right.value:
        return None
    shown = [f"{f.label} {f.value if f.value is not None else '（未读出）'}" for f in (left, right)]
    return f"仅当{cond.because}时成立；本文件中{shown[0]}，{shown[1]}"


def run_relations(ex: Extraction) -> list[Check]:
    """Every instance of every relation. A relation that needs a table the document lacks, or whose
    condition the document does not meet, is one not-evaluated check with the reason (``equal``
    compares the figures that were read, pair by pair)."""
    rows = []
    for rel in ex.layout.relations.relation:
        lacking = sorted(t for t in tables_of(rel) if not ex.has(t))
        if lacking and rel.type != "equal":
            missing = Figure(None, 0, table=lacking[0], missing="、".join(f"表{t}缺失" for t in lacking))
            rows.append(instance(rel, "", missing, Figure(None, 0), rel.description, f"表{'、'.join(lacking)}"))
            continue
        if not lacking and (reason := _condition_unmet(ex, rel)):
            unmet = Figure(None, 0, missing=reason)
            rows.append(
                instance(rel, "", unmet, Figure(None, 0), rel.description, f"表{'、'.join(sorted(tables_of(rel)))}")
            )
            continue
        rows.extend(RUNNERS[rel.type](ex, rel))
    return rows


__all__ = ["RUNNERS", "instance", "run_relations"]
