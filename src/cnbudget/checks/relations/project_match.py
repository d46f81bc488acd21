"""``project_match``: each project's amount in two tables, paired by name (exact, else most similar)."""

from decimal import Decimal

from ...tables import Extraction
from ...textnorm import match_names
from ..figures import Figure, resolve, select_rows
from .base import instance, lines_text


def run_project_match(ex: Extraction, rel: dict) -> list[dict]:
    ls, rs = rel["left"], rel["right"]
    if not (ex.has(ls["table"]) and ex.has(rs["table"])):
        return []
    lrows, rrows = select_rows(ex, ls), select_rows(ex, rs)
    lnames = list(dict.fromkeys(lrows[ls["name"]].dropna()))
    rnames = list(dict.fromkeys(rrows[rs["name"]].dropna()))
    out = []
    for lname, rname in match_names(lnames, rnames).items():
        left_only = not lname.startswith("\x00")
        lsel = {**ls, "where": f"{ls['name']} == {lname!r}"} if left_only else None
        rsel = {**rs, "where": f"{rs['name']} == {rname!r}"} if rname else None
        lf = resolve(ex, lsel) if lsel else Figure(Decimal(0), 1, table=ls["table"], label="（无此项目）")
        rf = resolve(ex, rsel) if rsel else Figure(Decimal(0), 1, table=rs["table"], label="（无此项目）")
        shown = lname if left_only else rname
        spelled = f"（表{rs['table']}作“{rname}”）" if left_only and rname and rname != lname else ""
        row = instance(rel, shown, lf, rf, f"{rel['description']}：{shown}{spelled}", f"{lines_text(lf)}; {lines_text(rf)}")
        row["names"] = {"left": lname if left_only else None, "right": rname}
        out.append(row)
    return out
