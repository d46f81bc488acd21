"""One reconciliation row per relation instance: both sides brought to one precision, with the allowance."""

import pandas as pd

from ...tables import Extraction
from ..figures import Figure
from ..records import Check, Ref
from ..tolerance import compare


def instance(
    rel: Ref, suffix: str, left: Figure, right: Figure, description: str, location: str, unit: str | None = None
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
    )


def lines_text(f: Figure) -> str:
    if not f.lines:
        return f"表{f.table}"
    shown = ",".join(map(str, f.lines[:6])) + ("…" if len(f.lines) > 6 else "")
    return f"表{f.table} 第{shown}行"


def frame_for(ex: Extraction, table: str, frame: str = "") -> pd.DataFrame:
    return ex.frame(table, frame)
