"""One reconciliation row per relation instance: both sides brought to one precision, with the allowance."""

import pandas as pd

from ...tables import Extraction
from ..figures import Figure
from ..tolerance import compare


def instance(rel: dict, suffix: str, left: Figure, right: Figure, description: str, location: str, unit: str | None = None) -> dict:
    lv, rv, allow = compare(left, right)
    tables = sorted({t for t in (left.table, right.table) if t})
    return {
        "id": f"{rel['id']}/{suffix}" if suffix else rel["id"],
        "relation": rel["id"],
        "kind": rel["kind"],
        "tables": tables,
        "description": description,
        "left": lv,
        "right": rv,
        "difference": (lv - rv) if lv is not None and rv is not None else None,
        "allowance": allow,
        "unit": unit or rel.get("unit", "万元"),
        "left_label": left.label,
        "right_label": right.label,
        "location": location,
        "left_lines": left.lines,
        "right_lines": right.lines,
        "missing": left.missing or right.missing,
    }


def lines_text(f: Figure) -> str:
    if not f.lines:
        return f"表{f.table}"
    shown = ",".join(map(str, f.lines[:6])) + ("…" if len(f.lines) > 6 else "")
    return f"表{f.table} 第{shown}行"


def frame_for(ex: Extraction, rel: dict) -> pd.DataFrame:
    return ex.frame(rel["table"], rel.get("frame", ""))
