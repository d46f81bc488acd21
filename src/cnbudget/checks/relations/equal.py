"""``equal``: the same figure stated in several places (the first against each other)."""

from ...layouts.relations import EqualRelation
from ...tables import Extraction
from ..figures import resolve
from ..records import Check
from .base import instance, lines_text


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
                f"{rel.description}：{first.label} 对 {other.label}",
                f"{lines_text(first)}; {lines_text(other)}",
            )
        )
    return out
