"""The relation engine: executes a layout's relation catalogue into reconciliation rows.

Each row is one relation instance: left, right, difference and the rounding allowance, in 万元
(counts in 个). great-expectations then validates these rows (see ``gxsuite``).

Tolerance policy (README, "Tolerance policy"):
- two statements of the same single figure must be equal (allowance 0);
- a total against a sum of n printed parts may differ by at most n x half a unit of the
  parts' precision (0.005 万元 for 2 decimals), the difference then being `rounding`;
- a figure printed with more decimals (table 13: 6) is rounded half-up to the precision of
  the figure it is compared with before comparing.
"""

import difflib
from decimal import Decimal

import pandas as pd

from .extract import Extraction
from .figures import Figure, describe, resolve, select_rows
from .money import round_half_up, to_wanyuan

HALF = Decimal("0.5")


def half_unit(decimals: int) -> Decimal:
    return HALF * Decimal(1).scaleb(-decimals)


def allowance(*figures: Figure) -> Decimal:
    """n x half unit, n = number of printed parts summed on the sides that are sums."""
    decimals = min(f.decimals for f in figures)
    n = sum(f.parts for f in figures if f.parts > 1)
    return n * half_unit(decimals)


def compare(left: Figure, right: Figure) -> tuple[Decimal | None, Decimal | None, Decimal]:
    """Bring both figures to the coarser precision (round half up) and return (left, right, allowance)."""
    if left.value is None or right.value is None:
        return left.value, right.value, Decimal(0)
    decimals = min(left.decimals, right.decimals)
    lv = round_half_up(left.value, decimals) if left.decimals > decimals and left.parts == 1 else left.value
    rv = round_half_up(right.value, decimals) if right.decimals > decimals and right.parts == 1 else right.value
    lf = Figure(lv, left.parts, decimals=decimals)
    rf = Figure(rv, right.parts, decimals=decimals)
    return lv, rv, allowance(lf, rf)


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


def _lines(f: Figure) -> str:
    if not f.lines:
        return f"表{f.table}"
    shown = ",".join(map(str, f.lines[:6])) + ("…" if len(f.lines) > 6 else "")
    return f"表{f.table} 第{shown}行"


def run_equal(ex: Extraction, rel: dict) -> list[dict]:
    figs = [resolve(ex, s) for s in rel["figures"]]
    first, out = figs[0], []
    for i, other in enumerate(figs[1:], start=1):
        out.append(instance(rel, f"{i}", first, other, f"{rel['description']}：{first.label} 对 {other.label}", f"{_lines(first)}; {_lines(other)}"))
    return out


def _sum_figures(figs: list[Figure], label: str) -> Figure:
    present = [f for f in figs if f.value is not None]
    value = sum((f.value for f in present), Decimal(0)) if present else None
    parts = sum(max(f.parts, 1) for f in present if f.value)
    lines = sorted({line for f in figs for line in f.lines})
    missing = next((f.missing for f in figs if f.missing and f.missing.endswith("缺失")), None)
    table = figs[0].table if figs else ""
    return Figure(value if missing is None else None, max(parts, 1), lines, table, min((f.decimals for f in figs), default=2), "万元", label, missing)


def run_sum(ex: Extraction, rel: dict) -> list[dict]:
    total = resolve(ex, rel["total"])
    parts = _sum_figures([resolve(ex, s) for s in rel["parts"]], " + ".join(describe(s, ex) for s in rel["parts"]))
    if parts.value is not None and total.value is None and total.missing == "未找到所选行":
        total = Figure(Decimal(0), 1, table=total.table, label=total.label)
    return [instance(rel, "", total, parts, rel["description"], f"{_lines(total)}; {_lines(parts)}")]


def _frame_for(ex: Extraction, rel: dict) -> pd.DataFrame:
    return ex.frame(rel["table"], rel.get("frame", ""))


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
        out.append(instance(rel, column, total, detail, f"{rel['description']}（{label}）", f"表{rel['table']} “{label}”列 {_lines(total)}"))
    return out


def run_row_sums(ex: Extraction, rel: dict) -> list[dict]:
    if not ex.has(rel["table"]):
        return []
    frame = _frame_for(ex, rel)
    spec = ex.layout.table(rel["table"])
    unit = ex.units.get(rel["table"], ex.layout.default_unit)
    decimals = spec.decimals + (4 if unit == "元" else 0)
    out = []
    for _, row in frame.iterrows():
        total = row.get(rel["total"])
        parts = [row.get(p) for p in rel["parts"] if p in row.index]
        present = [p for p in parts if p is not None and not (isinstance(p, float) and pd.isna(p))]
        if total is None and not present:
            continue
        label = row.get(rel.get("label", ""), None) or ("合计行" if row.get("row_type") == "total" else _row_label(row))
        left = Figure(to_wanyuan(total or Decimal(0), unit), 1, [row["line"]], rel["table"], decimals, label=rel["total"])
        right = Figure(to_wanyuan(sum(present, Decimal(0)), unit), max(len(present), 1), [row["line"]], rel["table"], decimals, label=" + ".join(rel["parts"]))
        out.append(instance(rel, f"line{row['line']}", left, right, f"{rel['description']}（{label}）", f"表{rel['table']} 第{row['line']}行 {label}"))
    return out


def _row_label(row: pd.Series) -> str:
    for col in ("function_code", "economic_code", "unit_code", "project", "year", "category_name"):
        if col in row.index and isinstance(row[col], str) and row[col]:
            name_col = col.replace("_code", "_name")
            return f"{row[col]} {row.get(name_col, '') if name_col != col else ''}".strip()
    return ""


def _groups(ex: Extraction, side: dict) -> tuple[dict, dict]:
    """key -> (Figure) for one side of a group_equal relation."""
    rows = select_rows(ex, side)
    table = side["table"]
    unit = ex.units.get(table, ex.layout.default_unit)
    decimals = ex.layout.table(table).decimals
    figures, labels = {}, {}
    column = side.get("column", "amount")
    for key, group in rows.groupby(side["key"], dropna=True):
        cells = [v for v in group[column] if v is not None and not (isinstance(v, float) and pd.isna(v))]
        value = to_wanyuan(sum((Decimal(v) for v in cells), Decimal(0)), unit)
        figures[key] = Figure(value, max(len(cells), 1), sorted(group["line"].tolist()), table, decimals, label=describe(side, ex))
        if side.get("label"):
            labels[key] = str(group[side["label"]].iloc[0])
    return figures, labels


def _merged_groups(ex: Extraction, sides: dict | list) -> tuple[dict, dict]:
    """Groups of one side; a list of sides is summed key by key (05 = 07 + 10)."""
    if isinstance(sides, dict):
        return _groups(ex, sides)
    figures, labels = {}, {}
    for side in sides:
        f, lab = _groups(ex, side)
        for key, fig in f.items():
            if key in figures:
                prev = figures[key]
                figures[key] = Figure(prev.value + fig.value, prev.parts + fig.parts, prev.lines + fig.lines, prev.table, max(prev.decimals, fig.decimals), label=f"{prev.label} + {fig.label}")
            else:
                figures[key] = fig
        for key, name in lab.items():
            labels.setdefault(key, name)
    return figures, labels


def _tables_of(sides: dict | list) -> list[str]:
    return [sides["table"]] if isinstance(sides, dict) else [s["table"] for s in sides]


def run_group_equal(ex: Extraction, rel: dict) -> list[dict]:
    left_side, right_side = rel["left"], rel["right"]
    if not all(ex.has(t) for t in _tables_of(left_side) + _tables_of(right_side)):
        return []
    left, llabels = _merged_groups(ex, left_side)
    right, rlabels = _merged_groups(ex, right_side)
    out = []
    keys = set(left) & set(right) if rel.get("common_keys_only") else set(left) | set(right)
    ltable, rtable = _tables_of(left_side)[0], _tables_of(right_side)[0]
    for key in sorted(keys):
        lf = left.get(key) or Figure(Decimal(0), 1, table=ltable, label="（无此科目）")
        rf = right.get(key) or Figure(Decimal(0), 1, table=rtable, label="（无此科目）")
        if lf.value == 0 and rf.value == 0 and (key not in left or key not in right):
            continue
        name = llabels.get(key) or rlabels.get(key) or ""
        out.append(instance(rel, str(key), lf, rf, f"{rel['description']}：{key} {name}".strip(), f"{_lines(lf)}; {_lines(rf)}"))
    return out


def match_names(left: list[str], right: list[str], cutoff: float = 0.6) -> dict[str, str | None]:
    """Pair each left name with a right name: exact normalised match first, then the most similar."""
    from .textnorm import norm

    pairs: dict[str, str | None] = {}
    free = list(right)
    for name in left:
        exact = next((r for r in free if norm(r) == norm(name)), None)
        if exact is not None:
            pairs[name] = exact
            free.remove(exact)
    for name in left:
        if name in pairs:
            continue
        scored = sorted(((difflib.SequenceMatcher(None, norm(name), norm(r)).ratio(), r) for r in free), reverse=True)
        if scored and scored[0][0] >= cutoff:
            pairs[name] = scored[0][1]
            free.remove(scored[0][1])
        else:
            pairs[name] = None
    for r in free:
        pairs.setdefault(f"\x00{r}", r)  # right-only names, marked with a NUL prefix
    return pairs


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
        row = instance(rel, shown, lf, rf, f"{rel['description']}：{shown}{spelled}", f"{_lines(lf)}; {_lines(rf)}")
        row["names"] = {"left": lname if left_only else None, "right": rname}
        out.append(row)
    return out


RUNNERS = {
    "equal": run_equal,
    "sum": run_sum,
    "column_sums": run_column_sums,
    "row_sums": run_row_sums,
    "group_equal": run_group_equal,
    "project_match": run_project_match,
}


def run_relations(ex: Extraction) -> list[dict]:
    rows = []
    for rel in ex.layout.relations.get("relation", []):
        rows.extend(RUNNERS[rel["type"]](ex, rel))
    return rows

