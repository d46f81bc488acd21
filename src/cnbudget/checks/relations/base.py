"""One reconciliation row per relation instance: both sides brought to one precision, with the allowance."""

import pandas as pd

from ...tables import Extraction
from ...words import Text, join, lines, say
from ..figures import Figure
from ..records import Check, Ref
from ..tolerance import compare


def instance(
    rel: Ref, suffix: str, left: Figure, right: Figure, description: Text, location: Text, unit: str | None = None
) -> Check:
    """The check of one relation instance: ``left`` against ``right`` within the rounding allowance."""
    lv, rv, allow = compare(left, right)
    return Check(
        id=f"{rel.id}/{suffix}" if suffix else rel.id,
        relation=rel.id,
        kind=rel.kind,
        tables=sorted({t for t in (left.table, right.table) if t}),
        description=description,
        location=location,
        left=lv,
        right=rv,
        allowance=allow,
        unit=unit or rel.unit,
        left_label=left.label,
        right_label=right.label,
        left_lines=left.lines,
        right_lines=right.lines,
        missing=left.missing or right.missing,
        left_cells=left.cells,
        right_cells=right.cells,
    )


def lines_text(f: Figure) -> Text:
    """Where a figure is printed: 表03 第135,303行 / table 03, line 135,303."""
    if not f.lines:
        return say("table", table=f.table)
    return say("table_lines", table=f.table, lines=lines(f.lines))


def places(*texts: Text) -> Text:
    """Several locations, one after the other."""
    return join(list(texts), "places")


def relation_words(rel) -> Text:
    """A catalogue relation's description in both languages (a layout must give its English)."""
    return Text(rel.description, getattr(rel, "description_en", "") or rel.description)


def frame_for(ex: Extraction, table: str, frame: str = "") -> pd.DataFrame:
    return ex.frame(table, frame)
