"""``activities``: the overall performance table's activities against the projects, as the document
groups them (see ``layouts.relations.ActivitiesRelation``)."""

from decimal import Decimal
from itertools import combinations

import pandas as pd

from ...layouts.relations import ActivitiesRelation
from ...layouts.selectors import filter_rows
from ...money import to_wanyuan
from ...tables import Extraction
from ...words import Text, join, quoted, say
from ..figures import Figure, resolve, select_rows
from ..records import Check
from ..tolerance import half_unit
from .base import instance, lines_text, relation_words

MAX_LEFT_OVER = 3  # projects searched for among those no project activity covers


def _amounts(rows: pd.DataFrame, column: str) -> list[Decimal]:
    return [v for v in rows[column] if isinstance(v, Decimal)]


def _projects(ex: Extraction, rel: ActivitiesRelation) -> dict[str, Decimal]:
    rows = select_rows(ex, rel.projects)
    unit = ex.units.get(rel.projects.table, ex.layout.default_unit)
    out: dict[str, Decimal] = {}
    for name, group in rows.groupby(rel.projects.name, sort=False):
        out[name] = to_wanyuan(sum(_amounts(group, rel.projects.column), Decimal(0)), unit)
    return out


def _left_over(projects: dict[str, Decimal], k: int, target: Decimal, allowed: Decimal) -> list[tuple[str, ...]]:
    """Every set of ``k`` projects whose amounts make up ``target`` (within ``allowed``)."""
    if k == 0:
        return [()] if abs(target) <= allowed else []
    return [names for names in combinations(projects, k) if abs(sum(projects[n] for n in names) - target) <= allowed]


def run_activities(ex: Extraction, rel: ActivitiesRelation) -> list[Check]:
    rows = select_rows(ex, rel.indicators.model_copy(update={"row": "any"}))
    costs, counts = filter_rows(rows, rel.cost), filter_rows(rows, rel.count)
    operation = costs[costs["activity"] == rel.operation]
    project_costs = costs[costs["activity"] != rel.operation]
    table = rel.indicators.table
    lines = sorted(project_costs["line"].tolist())
    counted = {a: g for a, g in counts.groupby("activity") if a != rel.operation}
    if project_costs.empty or operation.empty or set(project_costs["activity"]) - set(counted):
        why = say("activities_no_counts" if not counted else "activities_some_uncounted")
        missing = Figure(None, 0, table=table, missing=why)
        return [instance(rel, "", missing, Figure(None, 0), relation_words(rel), say("table", table=table))]
    projects = _projects(ex, rel)
    covered = sum(int(Decimal(str(g["value"].iloc[0]))) for g in counted.values())
    k = len(projects) - covered
    cost = sum(_amounts(project_costs, "amount"), Decimal(0))
    target = sum(projects.values(), Decimal(0)) - cost
    allowed = (len(projects) + len(project_costs)) * half_unit(2)
    sets = _left_over(projects, k, target, allowed) if 0 <= k <= MAX_LEFT_OVER else []
    basic = resolve(ex, rel.basic)
    operation_words = quoted(rel.operation)
    cost_fig = Figure(cost, len(project_costs), lines, table, 6, label=say("label_activity_costs"))
    op_cost = sum(_amounts(operation, "amount"), Decimal(0))
    op_lines = sorted(operation["line"].tolist())
    op_fig = Figure(op_cost, 1, op_lines, table, 6, label=say("label_operation_cost", operation=operation_words))
    if len(sets) != 1:
        why = (
            say("activities_no_set", covered=covered, total=len(projects), k=k, gap=target)
            if not sets
            else say("activities_ambiguous", sets=len(sets), operation=operation_words)
        )
        total = sum(projects.values(), Decimal(0))
        right = Figure(total, len(projects), [], rel.projects.table, 2, label=say("label_project_total"))
        check = instance(rel, "projects", cost_fig, right, relation_words(rel), lines_text(cost_fig))
        check.detail.append(why)
        if sets:  # ambiguous, not wrong: nothing to report as a disagreement
            check.left = check.right = None
            check.missing = why
        return [check]
    left_over = sets[0]
    in_activities = sum(projects.values(), Decimal(0)) - sum(projects[n] for n in left_over)
    right = Figure(in_activities, covered, [], rel.projects.table, 2, label=say("label_projects_sum", n=covered))
    first = instance(rel, "projects", cost_fig, right, relation_words(rel), lines_text(cost_fig))
    named = join([Text.same(f"“{n}” {projects[n]}") for n in left_over]) or say("none")
    first.detail.append(say("activities_left_over", operation=operation_words, named=named))
    basic_plus = Figure(
        basic.value + sum(projects[n] for n in left_over) if basic.value is not None else None,
        1 + len(left_over),
        basic.lines,
        basic.table,
        2,
        label=join([say("label_basic"), *(Text.same(f"“{n}”") for n in left_over)], "plus"),
        missing=basic.missing,
    )
    second = instance(rel, "operation", op_fig, basic_plus, relation_words(rel), lines_text(op_fig))
    second.detail.append(say("activities_operation_holds", operation=operation_words, named=named))
    return [first, second]
