"""``column_sums``: each amount column's 合计 row against the sum of the detail rows."""

from decimal import Decimal

from ...tables import Extraction
from ..figures import Figure, resolve
from .base import instance, lines_text


def run_column_sums(ex: Extraction, rel: dict) -> list[dict]:
    if not ex.has(rel["table"]):
        return [instance(rel, "", Figure(None, 0, table=rel["table"], missing=f"表{rel['table']}缺失"), Figure(None, 0), rel["description"], f"表{rel['table']}")]
    spec = ex.layout.table(rel["table"])
    columns = rel.get("columns", spec.amount_columns)
    out = []
    for column in columns:
        label = spec.column(column).label
        total_sel = {"table": rel["table"], "column": column, "row": "total"}
        if "total_where" in rel:
            total_sel = {"table": rel["table"], "column": column, "row": "any", "where": rel["total_where"]}
        detail_sel = {"table": rel["table"], "column": column, "row": "detail"}
        if "detail_where" in rel:
            detail_sel["where"] = rel["detail_where"]
        total, detail = resolve(ex, total_sel), resolve(ex, detail_sel)
        if total.value is None and detail.value is None:
            continue
        if total.value is None:  # a blank total with nothing to sum is not a disagreement
            total = Figure(Decimal(0), 1, table=rel["table"], label="合计（空）")
        if detail.value is None:
            detail = Figure(Decimal(0), 1, table=rel["table"], label="明细（无）")
        out.append(instance(rel, column, total, detail, f"{rel['description']}（{label}）", f"表{rel['table']} “{label}”列 {lines_text(total)}"))
    return out
