"""Year over year: two documents of one department, consecutive years.

Compares the headline figures (from each layout's ``report.toml`` summary), spending by
functional class and by economic code, and checks every year-on-year change the later
narrative states ("与上年相比增加4016.19万元，增长12.11%") against the earlier year's own tables.
"""

import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from ..checks.figures import Figure, value_or_none
from ..checks.narrative import match_rule, resolve_named
from ..checks.records import MATERIAL, MINOR, NONE, Check, Ref
from ..checks.relations import instance
from ..layouts.selectors import filter_rows
from ..tables import Extraction
from ..words import EMPTY, Text, join, say

MINOR_PERCENT = Decimal("0.1")  # percentage points
SHRINK = ("减少", "下降", "降幅", "压减")
# a change stated against the earlier year's execution or final account ("比2023年预算执行数增加
# 0.53%"): the earlier year's budget tables do not hold that figure
OTHER_BASIS = re.compile(r"(比|较|与)[^，。；]{0,12}(执行数|执行|决算数|决算)")


def _change_row(name: str, code: str, prev: Decimal | None, cur: Decimal | None) -> dict:
    change = (cur - prev) if prev is not None and cur is not None else None
    # a percentage as the documents print one: two decimals, rounded half up (四舍五入)
    pct = (change / prev * 100).quantize(Decimal("0.01"), ROUND_HALF_UP) if change is not None and prev else None
    return {"code": code, "name": name, "previous": prev, "current": cur, "change": change, "change_pct": pct}


def headline(prev: Extraction, cur: Extraction) -> pd.DataFrame:
    """The summary figures of each year's report.toml, matched by name ("total", "basic", …)."""
    cfg, prev_cfg = cur.layout.report.summary, prev.layout.report.summary
    rows = []
    if cfg.total is not None:
        rows.append(
            _change_row("total", "", value_or_none(prev, prev_cfg.total or cfg.total), value_or_none(cur, cfg.total))
        )
    prev_split = {item.text: item.figure for item in prev_cfg.split}
    for item in cfg.split:
        prev_sel = prev_split.get(item.text)
        rows.append(
            _change_row(
                item.text, "", value_or_none(prev, prev_sel) if prev_sel else None, value_or_none(cur, item.figure)
            )
        )
    return pd.DataFrame.from_records(rows)


def _by_code(ex: Extraction, section: str, code_column: str, width: int) -> tuple[dict, dict]:
    cfg = getattr(ex.layout.report, section)
    if cfg is None or not ex.has(cfg.table):
        return {}, {}
    frame = ex.frame(cfg.table)
    if code_column not in frame.columns:
        return {}, {}
    name_column = code_column.replace("_code", "_name")
    totals, names = defaultdict(Decimal), {}
    detail = filter_rows(frame, cfg.where)
    for row in detail.to_dict("records"):
        code, value = row.get(code_column), row.get(cfg.amount)
        if isinstance(code, str) and len(code) >= width and isinstance(value, Decimal):
            totals[code[:width]] += value
    for row in frame.to_dict("records"):  # names of the class rows where the table prints them
        code = row.get(code_column)
        if isinstance(code, str) and len(code) == width and isinstance(row.get(name_column), str):
            names.setdefault(code, row[name_column])
    return dict(totals), names


def by_code(prev: Extraction, cur: Extraction, section: str, code_column: str, width: int) -> pd.DataFrame:
    p, pn = _by_code(prev, section, code_column, width)
    c, cn = _by_code(cur, section, code_column, width)
    rows = [
        _change_row(
            cn.get(k) or pn.get(k) or "", k, p.get(k, Decimal(0) if p else None), c.get(k, Decimal(0) if c else None)
        )
        for k in sorted(set(p) | set(c))
    ]
    return pd.DataFrame.from_records(rows)


def narrative_changes(prev: Extraction, cur: Extraction) -> tuple[list[dict], list[dict]]:
    """Check each stated change of ``cur``'s narrative against ``prev``'s tables."""
    rows, unchecked = [], []
    if cur.narrative.empty:
        return rows, unchecked
    prev_year = prev.meta.get("year")
    figures = cur.narrative.to_dict("records")
    for fig in figures:
        if fig["kind"] not in ("change", "change_percent"):
            continue
        brief = {
            "figure_id": fig["figure_id"],
            "line": fig["line"],
            "value": str(fig["value"]),
            "unit": fig["unit"],
            "label": fig["label"],
            "sentence": fig["sentence"],
        }
        compared = fig.get("compared_year")
        if compared is not None and not pd.isna(compared) and prev_year and int(compared) != int(prev_year):
            unchecked.append(_reason(brief, say("yoy_other_year", year=int(compared), previous=prev_year)))
            continue
        basis = OTHER_BASIS.search(fig["sentence"] or "")
        if basis and (prev.meta.get("kind") or "budget") == "budget":
            unchecked.append(_reason(brief, say("yoy_other_basis", basis=basis.group(2))))
            continue
        rule, params = match_rule(
            cur, {"kind": "amount", "section": fig.get("section"), "label_key": fig.get("label_key")}
        )
        if rule is None:
            unchecked.append(_reason(brief, say("yoy_no_rule")))
            continue
        now, _ = resolve_named(cur, rule.figure, params)
        before = _resolve_or_none(prev, rule.figure, params)
        what = say("yoy_named", table=rule.figure.table, name=params["name"]) if "name" in params else now.label
        if now.value is None or not _found(now, rule):
            unchecked.append(_reason(brief, say("yoy_not_this_year", what=what)))
            continue
        if before is None or before.value is None or not _found(before, rule):
            unchecked.append(_reason(brief, say("yoy_not_last_year", what=what)))
            continue
        direction = fig.get("direction") if isinstance(fig.get("direction"), str) else ""
        sign = Decimal(-1) if any(w in direction for w in SHRINK) else Decimal(1)
        decimals = len(fig["value_raw"].split(".")[1]) if "." in fig["value_raw"] else 0
        where = say("yoy_where", year=cur.meta.get("year"), line=fig["line"], sentence=fig["sentence"])
        tables = say("yoy_tables", now=now.table, before=before.table)
        stated_label = say("narrative_says", sentence=fig["sentence"])
        actual = now.value - before.value
        if fig["kind"] == "change":
            stated = Figure(sign * fig["value"], 1, [fig["line"]], "说明", max(decimals, 2), "万元", stated_label)
            computed = Figure(
                actual,
                2,
                now.lines,
                now.table,
                min(now.decimals, before.decimals),
                "万元",
                Text.same(f"{now.value} − {before.value}"),
            )
            stated_words = f"{fig['label']} {direction}{fig['value_raw']}{fig['unit']}"
            desc = say("yoy_change", year=prev_year, stated=stated_words)
            row = instance(
                Ref(f"yoy/{fig['figure_id']}", "year_over_year"),
                "",
                stated,
                computed,
                desc,
                join([where, tables], "places"),
            )
        else:
            if not before.value:
                unchecked.append(_reason(brief, say("yoy_zero_base")))
                continue
            stated = Figure(sign * fig["value"], 1, [fig["line"]], "说明", decimals, "%", stated_label)
            computed = Figure(
                actual / before.value * 100,
                1,
                now.lines,
                now.table,
                12,
                "%",
                Text.same(f"({now.value} − {before.value}) / {before.value}"),
            )
            desc = say("yoy_rate", year=prev_year, stated=f"{fig['label']} {direction}{fig['value_raw']}%")
            location = join([where, tables], "places")
            row = instance(
                Ref(f"yoy/{fig['figure_id']}", "year_over_year"), "", stated, computed, desc, location, unit="%"
            )
            row.allowance = Decimal("0.5") * Decimal(1).scaleb(-decimals)
        row.previous, row.current = before.value, now.value
        row.location += _pages_text(cur, [fig["line"], *now.lines], "yoy_pages_now")
        row.location += _pages_text(prev, before.lines, "yoy_pages_before")
        rows.append(row)
    return _validated(rows), unchecked


YOY_FIELDS = (
    "id", "relation", "kind", "tables", "description", "left", "right", "difference", "allowance", "unit",
    "left_label", "right_label", "location", "left_lines", "right_lines", "missing",
    "previous", "current", "holds", "severity",
)  # fmt: skip


def _validated(rows: list[Check]) -> list[dict]:
    """great-expectations decides which stated changes hold (suite expectations/year_over_year.json)."""
    if not rows:
        return []
    from ..checks.gx import validate
    from ..checks.run import reconciliation_frames

    failing = validate(reconciliation_frames(rows)).get("year_over_year", {})
    beyond = failing.get("expect_reconciliation_within_allowance", set())
    for row in rows:
        row.holds = row.id not in beyond
        # a stated growth rate off by at most 0.1 point is a rounding slip; anything else is material
        slip = row.unit == "%" and abs(row.difference) <= MINOR_PERCENT
        row.severity = NONE if row.holds else MINOR if slip else MATERIAL
    out = []
    for row in rows:
        record = {}
        for name in YOY_FIELDS:
            value = getattr(row, name)
            if isinstance(value, Text):
                record[name], record[f"{name}_en"] = value.zh, value.en
            else:
                record[name] = value
        out.append(record)
    return out


def _pages_text(ex: Extraction, lines: list[int], phrase: str) -> Text:
    """ "（本年PDF第11,19页）" for a PDF source; empty for a text source."""
    pages = ex.pages_of(lines)
    return say(phrase, pages=",".join(map(str, pages))) if pages else EMPTY


def _reason(brief: dict, reason: Text) -> dict:
    return {**brief, "reason": reason.zh, "reason_en": reason.en}


def _resolve_or_none(ex: Extraction, sel: dict, params: dict) -> Figure | None:
    try:
        return resolve_named(ex, sel, params)[0]
    except Exception:  # noqa: BLE001 - the earlier year's layout lacks the table
        return None


def _found(figure: Figure, rule: dict) -> bool:
    """A selector by name ("where = function_key == '{name}'") must find a row; a missing row is
    not a zero here, it is an item that does not exist under that name."""
    return bool(figure.lines) or "{name}" not in str(rule.figure)


def compare(prev: Extraction, cur: Extraction) -> dict:
    checks, unchecked = narrative_changes(prev, cur)
    return {
        "previous": {
            "year": prev.meta.get("year"),
            "title": prev.meta.get("title"),
            "sha256": prev.source.sha256,
            "path": prev.meta.get("path"),
        },
        "current": {
            "year": cur.meta.get("year"),
            "title": cur.meta.get("title"),
            "sha256": cur.source.sha256,
            "path": cur.meta.get("path"),
        },
        "department": cur.meta.get("department"),
        "headline": headline(prev, cur),
        "functional": by_code(prev, cur, "functional", "function_code", 3),
        "economic_classes": by_code(prev, cur, "economic", "economic_code", 3),
        "economic": by_code(prev, cur, "economic", "economic_code", 5),
        "checks": checks,
        "unchecked": unchecked,
    }


def consecutive_pairs(documents: list[dict]) -> list[tuple[dict, dict]]:
    """(earlier, later) pairs of documents of one department in consecutive years, of one kind (a
    budget is compared with the budget before it, a final account with the final account)."""
    by_department = defaultdict(dict)
    for doc in documents:
        if doc.get("year") and doc.get("department"):
            key = (doc.get("region"), doc["department"], doc.get("kind") or "budget")
            by_department[key][int(doc["year"])] = doc
    pairs = []
    for years in by_department.values():
        for year in sorted(years):
            if year - 1 in years:
                pairs.append((years[year - 1], years[year]))
    return pairs


def save(result: dict, out) -> dict:
    """compare.json (with a summary) and one CSV per comparison table."""
    import json
    from pathlib import Path

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for name in ("headline", "functional", "economic_classes", "economic"):
        result[name].to_csv(out / f"{name}.csv", index=False, encoding="utf-8-sig")
    summary = {
        "checked": len(result["checks"]),
        "hold": sum(bool(c["holds"]) for c in result["checks"]),
        "disagree": sum(not c["holds"] for c in result["checks"]),
        "material": sum(c["severity"] == MATERIAL for c in result["checks"]),
        "minor": sum(c["severity"] == MINOR for c in result["checks"]),
        "unchecked": len(result["unchecked"]),
    }
    payload = {k: v for k, v in result.items() if k not in ("headline", "functional", "economic_classes", "economic")}
    payload["summary"] = summary
    for name in ("headline", "functional", "economic_classes", "economic"):
        payload[name] = result[name].to_dict("records")
    (out / "compare.json").write_text(json.dumps(payload, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return summary
