"""The relation engine: executes a layout's relation catalogue into reconciliation rows.

Each row is one relation instance: left, right, difference and the rounding allowance, in 万元
(counts in 个). great-expectations then validates these rows (see ``checks.gx``). One relation
type per module, looked up by the ``type`` its catalogue entry declares.
"""

from ...tables import Extraction
from ..records import Check
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
}


def run_relations(ex: Extraction) -> list[Check]:
    rows = []
    for rel in ex.layout.relations.relation:
        rows.extend(RUNNERS[rel.type](ex, rel))
    return rows


__all__ = ["RUNNERS", "instance", "run_relations"]
