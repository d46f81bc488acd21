"""``project_match``: each project's amount in two tables, paired by name (exact, else most similar)."""

from decimal import Decimal

from ...layouts.relations import ProjectMatchRelation
from ...layouts.selectors import Selector
from ...tables import Extraction
from ...textnorm import match_names
from ...words import EMPTY, Text, say
from ..figures import Figure, resolve, select_rows
from ..records import Check
from .base import instance, lines_text, places, relation_words


def _named(ex: Extraction, side: Selector, name: str | None) -> Figure:
    """The amount of the project called ``name`` (a value compared with, never parsed)."""
    if name is None:
        return Figure(Decimal(0), 1, table=side.table, label=say("no_such_project"))
    return resolve(ex, side.model_copy(update={"where": {side.name: name}}))


def run_project_match(ex: Extraction, rel: ProjectMatchRelation) -> list[Check]:
    ls, rs = rel.left, rel.right
    if not (ex.has(ls.table) and ex.has(rs.table)):
        return []
    lnames = list(dict.fromkeys(select_rows(ex, ls)[ls.name].dropna()))
    rnames = list(dict.fromkeys(select_rows(ex, rs)[rs.name].dropna()))
    out = []
    for lname, rname in match_names(lnames, rnames).items():
        left_only = not lname.startswith("\x00")
        lf, rf = _named(ex, ls, lname if left_only else None), _named(ex, rs, rname)
        shown = lname if left_only else rname
        spelled = say("spelled_in", table=rs.table, name=rname) if left_only and rname and rname != lname else EMPTY
        description = say("colon", a=relation_words(rel), b=Text.same(f"“{shown}”") + spelled)
        check = instance(rel, shown, lf, rf, description, places(lines_text(lf), lines_text(rf)))
        check.names = {"left": lname if left_only else None, "right": rname}
        out.append(check)
    return out
