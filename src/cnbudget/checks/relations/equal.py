"""``equal``: the same figure stated in several places (the first against each other)."""

from ...layouts.relations import EqualRelation
from ...tables import Extraction
from ...words import say
from ..figures import resolve
from ..records import Check
from .base import instance, lines_text, places, relation_words


def run_equal(ex: Extraction, rel: EqualRelation) -> list[Check]:
    figs = [resolve(ex, s) for s in rel.figures]
    first, out = figs[0], []
    for i, other in enumerate(figs[1:], start=1):
        out.append(
            instance(
                rel,
                f"{i}",
                first,
                other,
                say("colon", a=relation_words(rel), b=say("versus", a=first.label, b=other.label)),
                places(lines_text(first), lines_text(other)),
            )
        )
    return out
