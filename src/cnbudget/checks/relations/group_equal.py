"""``group_equal``: two tables summed by the same key (a code) must agree key by key."""

from decimal import Decimal

from ...layouts.relations import GroupEqualRelation
from ...layouts.selectors import Selector
from ...money import to_wanyuan
from ...tables import Extraction
from ...tables.schema import missing
from ...words import Text, join, quoted, say
from ..figures import Figure, describe, precision, select_rows
from ..records import Check
from .base import instance, lines_text, places, relation_words

Sides = Selector | tuple[Selector, ...]


def _groups(ex: Extraction, side: Selector) -> tuple[dict, dict]:
    """key -> (Figure) for one side of a group_equal relation."""
    rows = select_rows(ex, side)
    table = side.table
    unit = ex.units.get(table, ex.layout.default_unit)
    default = ex.layout.table(table).decimals
    figures, labels = {}, {}
    column = side.column or "amount"
    if side.key not in rows.columns:  # a document that prints no such code: nothing to group
        return figures, labels
    for key, group in rows.groupby(side.key, dropna=True):
        printed = [(line, v) for line, v in zip(group["line"], group[column], strict=True) if not missing(v)]
        cells = [v for _, v in printed]
        value = to_wanyuan(sum((Decimal(v) for v in cells), Decimal(0)), unit)
        lines = sorted(group["line"].tolist())
        decimals = precision(cells, unit, default)
        where = [(int(line), column, None) for line, _ in printed]
        figures[key] = Figure(value, max(len(cells), 1), lines, table, decimals, label=describe(side, ex), cells=where)
        if side.label:
            labels[key] = str(group[side.label].iloc[0])
    return figures, labels


def _merged_groups(ex: Extraction, sides: Sides) -> tuple[dict, dict]:
    """Groups of one side; a list of sides is summed key by key (05 = 07 + 10)."""
    if isinstance(sides, Selector):
        return _groups(ex, sides)
    figures, labels = {}, {}
    for side in sides:
        f, lab = _groups(ex, side)
        for key, fig in f.items():
            if key in figures:
                prev = figures[key]
                decimals = max(prev.decimals, fig.decimals)
                label = join([prev.label, fig.label], "plus")
                figures[key] = Figure(
                    prev.value + fig.value,
                    prev.parts + fig.parts,
                    prev.lines + fig.lines,
                    prev.table,
                    decimals,
                    label=label,
                    cells=prev.cells + fig.cells,
                )
            else:
                figures[key] = fig
        for key, name in lab.items():
            labels.setdefault(key, name)
    return figures, labels


def _tables_of(sides: Sides) -> list[str]:
    return [sides.table] if isinstance(sides, Selector) else [s.table for s in sides]


def run_group_equal(ex: Extraction, rel: GroupEqualRelation) -> list[Check]:
    left_side, right_side = rel.left, rel.right
    if not all(ex.has(t) for t in _tables_of(left_side) + _tables_of(right_side)):
        return []
    left, llabels = _merged_groups(ex, left_side)
    right, rlabels = _merged_groups(ex, right_side)
    out = []
    keys = set(left) & set(right) if rel.common_keys_only else set(left) | set(right)
    ltable, rtable = _tables_of(left_side)[0], _tables_of(right_side)[0]
    for key in sorted(keys):
        lf = left.get(key) or Figure(Decimal(0), 1, table=ltable, label=say("no_such_code"))
        rf = right.get(key) or Figure(Decimal(0), 1, table=rtable, label=say("no_such_code"))
        if lf.value == 0 and rf.value == 0 and (key not in left or key not in right):
            continue
        name = llabels.get(key) or rlabels.get(key) or ""
        # a code with its printed name (30213 “维修（护）费”); a group named by words, those words
        item = Text.same(key) if str(key).isdigit() else quoted(key)
        if name and name != key:
            item = item + " " + quoted(name)
        description = say("colon", a=relation_words(rel), b=item)
        out.append(instance(rel, str(key), lf, rf, description, places(lines_text(lf), lines_text(rf))))
    return out
