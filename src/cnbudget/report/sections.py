"""HTML fragments of the report, one function per section; the notebook displays them."""

import html
import platform
from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal
from importlib.metadata import PackageNotFoundError, version

import pandas as pd

from ..checks.figures import select_rows, value_or_none
from ..checks.records import is_material_failure
from ..layouts.selectors import Selector, filter_rows
from ..tables import Extraction
from ..textnorm import match_names
from .charts import barh
from .i18n import TEXT

e = html.escape


def t(lang: str, key: str) -> str:
    return TEXT[lang][key]


def money(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    return f"{Decimal(str(value)):,.2f}"


def table(headers: list[str], rows: list[list], cls: str = "") -> str:
    head = "".join(f"<th>{e(str(h))}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{c if isinstance(c, Markup) else e(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


class Markup(str):
    """Already-escaped HTML inside a table cell."""


def _rows(ex: Extraction, sel: Selector | None) -> pd.DataFrame:
    if sel is None or not ex.has(sel.table):
        return pd.DataFrame()
    return select_rows(ex, sel if sel.row else sel.model_copy(update={"row": "any"}))


def summary(ex: Extraction, checks: dict, lang: str) -> str:
    cfg = ex.layout.report.summary
    total = value_or_none(ex, cfg.total) if cfg.total is not None else None
    pct = lambda v: f"{Decimal(v) / total * 100:.2f}%" if v is not None and total else "—"  # noqa: E731
    parts = [f'<div class="kpi"><span>{e(t(lang, "total"))}</span><strong>{money(total)} 万元</strong></div>']
    income = _rows(ex, cfg.income)
    if len(income):
        label = cfg.income.label
        parts.append(
            f"<h3>{e(t(lang, 'income_sources'))}</h3>"
            + table(
                [t(lang, "name"), t(lang, "amount"), t(lang, "share")],
                [[getattr(r, label), money(r.amount), pct(r.amount)] for r in income.itertuples()],
            )
        )
    classes = _rows(ex, cfg.classes)
    if len(classes):
        label = cfg.classes.label
        parts.append(
            f"<h3>{e(t(lang, 'by_class'))}</h3>"
            + table(
                [t(lang, "code"), t(lang, "name"), t(lang, "amount"), t(lang, "share")],
                [
                    [
                        r.function_class_code if isinstance(r.function_class_code, str) else "",
                        getattr(r, label),
                        money(r.amount),
                        pct(r.amount),
                    ]
                    for r in classes.itertuples()
                ],
            )
        )
    if cfg.split:
        rows = [[t(lang, item.text), money(v := value_or_none(ex, item.figure)), pct(v)] for item in cfg.split]
        parts.append(
            f"<h3>{e(t(lang, 'basic_project'))} / {e(t(lang, 'personnel_public'))}</h3>"
            + table(["", t(lang, "amount"), t(lang, "share")], rows)
        )
    changes = ex.narrative[ex.narrative["kind"] == "change"] if not ex.narrative.empty else ex.narrative
    if len(changes):
        rows = [
            [
                r.label,
                f"{r.direction} {r.value_raw} {r.unit}",
                f"{r.compared_year:.0f}" if r.compared_year == r.compared_year else "",
                Markup(f'<span class="src">第{r.line}行</span>'),
            ]
            for r in changes.itertuples()
        ]
        parts.append(
            f"<h3>{e(t(lang, 'change'))}</h3>"
            + table([t(lang, "name"), t(lang, "difference"), "", t(lang, "where")], rows)
        )
    s = checks["summary"]
    headline = t(lang, "headline_text").format(**s)
    material = [c for c in checks["checks"] if is_material_failure(c)]
    items = "".join(f"<li>{e(c['description'])}{_diff_text(c, lang)}</li>" for c in material[:8])
    parts.append(f'<h3>{e(t(lang, "headline"))}</h3><p class="headline">{e(headline)}</p><ul>{items}</ul>')
    return "\n".join(parts)


def _diff_text(c: dict, lang: str = "zh") -> str:
    if c["difference"] is None:
        return ""
    unit = c.get("unit") or "万元"
    if lang == "en":
        return (
            f" (difference {c['difference']:+,.2f} {unit})"
            if unit != "%"
            else f" (difference {c['difference']:+.2f} percentage points)"
        )
    return f"（差额 {c['difference']:+,.2f} {unit}）" if unit != "%" else f"（差额 {c['difference']:+.2f} 个百分点）"


def _sum(values) -> Decimal:
    return sum((v for v in values if v is not None and not (isinstance(v, float) and pd.isna(v))), Decimal(0))


def functional(ex: Extraction, lang: str) -> str:
    cfg = ex.layout.report.functional
    if cfg is None or not ex.has(cfg.table):
        return f"<p>{e(t(lang, 'none'))}</p>"
    frame = ex.frame(cfg.table)
    detail = filter_rows(frame, cfg.where)
    amount = cfg.amount
    names = {}
    names_sel = cfg.class_names
    if names_sel is not None:
        for _, r in _rows(ex, names_sel).iterrows():
            if isinstance(r[names_sel.key], str):
                names.setdefault(r[names_sel.key], r[names_sel.label])
    # 款 names where the table prints its 款 rows (Jiangsu 05/07 print 类, 款 and 项)
    category_names = {
        c: n
        for c, n in zip(frame["function_code"], frame["function_name"], strict=True)
        if isinstance(c, str) and len(c) == 5 and isinstance(n, str)
    }
    rows, by_class = [], defaultdict(Decimal)
    for code, group in detail.groupby("function_code"):
        by_class[code[:3]] += _sum(group[amount])
    for cls in sorted(by_class):
        rows.append(
            [
                Markup(f"<b>{cls}</b>"),
                Markup(f"<b>{e(names.get(cls, ''))}</b>"),
                "类",
                Markup(f"<b>{money(by_class[cls])}</b>"),
            ]
        )
        sub = detail[detail["function_class_code"] == cls]
        for cat, cgroup in sub.groupby("function_category_code"):
            rows.append([cat, category_names.get(cat, ""), "款", money(_sum(cgroup[amount]))])
            for item, igroup in cgroup.groupby("function_code"):
                rows.append([item, igroup["function_name"].iloc[0], "项", money(_sum(igroup[amount]))])
    chart = barh(
        [f"{c} {names.get(c, '')}" for c in sorted(by_class)],
        [float(by_class[c]) for c in sorted(by_class)],
        t(lang, "chart_class"),
    )
    return table([t(lang, "code"), t(lang, "name"), t(lang, "level"), t(lang, "amount")], rows, "compact") + chart


def economic(ex: Extraction, lang: str) -> str:
    cfg = ex.layout.report.economic
    if cfg is None or not ex.has(cfg.table):
        return f"<p>{e(t(lang, 'none'))}</p>"
    frame = ex.frame(cfg.table)
    amount = cfg.amount
    detail = filter_rows(frame, cfg.where)
    detail = detail.sort_values(amount, ascending=False, key=lambda s: s.map(lambda v: v or Decimal(0)))
    spec = ex.layout.table(cfg.table)
    columns = cfg.columns or [amount]
    rows = [[r["economic_code"], r["economic_name"], *[money(r[c]) for c in columns]] for _, r in detail.iterrows()]
    top = detail.head(10)
    chart = barh(
        [f"{r['economic_code']} {r['economic_name']}" for _, r in top.iterrows()],
        [float(r[amount]) for _, r in top.iterrows()],
        t(lang, "chart_economic"),
        "#6a8d3a",
    )
    headers = [
        t(lang, "code"),
        t(lang, "name"),
        *[
            t(lang, "amount") if c == amount else t(lang, c) if c in TEXT[lang] else spec.column(c).label
            for c in columns
        ],
    ]
    return table(headers, rows, "compact") + chart


def projects(ex: Extraction, lang: str) -> str:
    cfg = ex.layout.report.projects
    if cfg is None or not ex.has(cfg.table):
        return ""
    t04 = ex.frame(cfg.table)
    detail = t04[t04["row_type"] == "detail"]
    totals = detail.groupby("project", sort=False)[cfg.amount].apply(_sum).sort_values(ascending=False)
    perf_table = cfg.performance
    perf = ex.frame(perf_table, "projects") if perf_table and ex.has(perf_table) else pd.DataFrame()
    pairs = match_names(list(totals.index), perf["project_name"].dropna().tolist()) if not perf.empty else {}
    rows = []
    for rank, (name, amount) in enumerate(totals.items(), start=1):
        match = perf[perf["project_name"] == pairs.get(name)] if not perf.empty else perf
        target = str(match["target"].iloc[0]) if len(match) else ""
        count = int(match["indicator_count"].iloc[0]) if len(match) else 0
        rows.append([rank, name, money(amount), count or "—", (target[:70] + "…") if len(target) > 70 else target])
    top = totals.head(10)
    chart = barh(
        [n if len(n) <= 22 else n[:21] + "…" for n in top.index],
        [float(v) for v in top.values],
        t(lang, "chart_projects"),
        "#a5673a",
    )
    return (
        f"<h3 id='projects'>{e(t(lang, 'projects'))}</h3>"
        + table(["#", t(lang, "name"), t(lang, "amount"), t(lang, "indicators"), t(lang, "target")], rows, "compact")
        + chart
    )


def procurement_and_three_public(ex: Extraction, lang: str) -> str:
    out = []
    cfg = ex.layout.report.procurement
    if cfg is not None and ex.has(cfg.table):
        frame = filter_rows(ex.frame(cfg.table), cfg.where, cfg.where_any)
        rows = [[r[cfg.label], money(r[cfg.amount])] for _, r in frame.iterrows()]
        out.append(f"<h3>{e(t(lang, 'procurement'))}</h3>" + table([t(lang, "name"), t(lang, "amount")], rows))
    three = ex.layout.report.three_public
    if three is not None and ex.has(three.table):
        frame = ex.frame(three.table)
        spec = ex.layout.table(three.table)
        cols = spec.amount_columns
        out.append(
            f"<h3>{e(t(lang, 'three_public'))}（{ex.units.get(three.table)}）</h3>"
            + table(
                [spec.column(c).label for c in cols], [[money(getattr(r, c)) for c in cols] for r in frame.itertuples()]
            )
        )
    return "\n".join(out)


def findings(checks: dict, lang: str) -> str:
    failed = [c for c in checks["checks"] if c["status"] == "fail"]
    order = {"material": 0, "minor": 1}
    items = []
    for c in sorted(failed, key=lambda c: (order.get(c["severity"], 2), c["kind"])):
        sev = TEXT[lang]["severity"].get(c["severity"], c["severity"])
        numbers = ""
        if c["left"] is not None:
            unit = c.get("unit") or "万元"
            numbers = (
                f'<div class="nums">{e(c.get("left_label") or t(lang, "left"))}: <b>{c["left"]:,.6g}</b> · '
                f"{e(c.get('right_label') or t(lang, 'right'))}: <b>{c['right']:,.6g}</b> · "
                f"{e(t(lang, 'difference'))}: <b>{c['difference']:+,.6g} {e(unit)}</b></div>"
            )
        detail = "".join(f"<li>{e(d)}</li>" for d in c.get("detail", [])[:6])
        detail = f'<ul class="detail">{detail}</ul>' if detail else ""
        items.append(
            f'<li class="finding {c["severity"]}" data-check-id="{e(c["id"])}"><span class="badge '
            f'{c["severity"]}">{e(sev)}</span> '
            f'<span class="kind">{e(TEXT[lang]["kind"][c["kind"]])} · '
            f"表{e(','.join(c['tables']))}</span><div>{e(c['description'])}</div>{numbers}"
            f'<div class="where">{e(t(lang, "where"))}: {e(c["location"])}</div>{detail}</li>'
        )
    rounding = [c for c in checks["checks"] if c["severity"] == "rounding"]
    for c in rounding:
        items.append(
            f'<li class="finding rounding" data-check-id="{e(c["id"])}"><span class="badge '
            f'rounding">{e(TEXT[lang]["severity"]["rounding"])}</span> {e(c["description"])} ({t(lang, "difference")} '
            f"{c['difference']:+,.6g}, ≤ {c['allowance']:g})</li>"
        )
    return f'<p>{e(t(lang, "findings_intro"))}</p><ol class="findings">{"".join(items) or e(t(lang, "none"))}</ol>'


def not_evaluated(checks: dict, lang: str) -> str:
    """Relations whose figures were not read: what they would have compared and why not."""
    rows = [
        [TEXT[lang]["kind"][c["kind"]], ",".join(c["tables"]), c["description"], c.get("missing") or ""]
        for c in checks["checks"]
        if c["status"] == "not_evaluated"
    ]
    if not rows:
        return f"<p>{e(t(lang, 'none'))}</p>"
    head = ["", "表", t(lang, "check"), t(lang, "reason")]
    return f"<p>{e(t(lang, 'not_evaluated_intro'))}</p>" + table(head, rows, "compact")


def passed(checks: dict, lang: str) -> str:
    groups: dict[str, list] = {}
    for c in checks["checks"]:
        if c["status"] == "pass":
            groups.setdefault("narrative" if c["kind"] == "narrative" else c["relation"], []).append(c)
    rows = []
    for relation, cs in groups.items():
        parts = cs[0]["description"].split("：")
        if cs[0]["kind"] == "narrative":
            description = "说明中的数字与表格一致"
        elif cs[0]["kind"] == "data_quality" and len(parts) > 1:
            description = parts[1]  # "表01 收支预算总表：金额单元格不是数字：无" -> what was looked for
        else:
            description = parts[0]
        rows.append(
            [
                TEXT[lang]["kind"][cs[0]["kind"]],
                ",".join(sorted({t for c in cs for t in c["tables"]})),
                relation,
                description,
                len(cs),
            ]
        )
    return f"<p>{e(t(lang, 'passed_intro'))}</p>" + table(
        ["", "表", "id", t(lang, "check"), t(lang, "count")], rows, "compact passed"
    )


def unchecked(checks: dict, lang: str) -> str:
    rows = [
        [u["label"], f"{u['value']} {u['unit']}", u["reason"], f"第{u['line']}行"]
        for u in checks.get("unchecked_narrative", [])
    ]
    return table([t(lang, "name"), t(lang, "amount"), t(lang, "reason"), t(lang, "where")], rows, "compact")


def glossary(ex: Extraction, lang: str) -> str:
    rows = [[g.term, g.definition] for g in ex.glossary.itertuples()] if not ex.glossary.empty else []
    return table([t(lang, "name"), ""], rows, "compact")


def codes(ex: Extraction, lang: str) -> str:
    seen = {}
    for frame in ex.frames.values():
        for prefix, label in (("function", "功能分类"), ("economic", "部门经济分类"), ("gov_economic", "政府经济分类")):
            if f"{prefix}_code" in frame.columns and f"{prefix}_name" in frame.columns:
                for code, nm in zip(frame[f"{prefix}_code"], frame[f"{prefix}_name"], strict=True):
                    if isinstance(code, str) and isinstance(nm, str):
                        seen.setdefault((label, code), nm)
    rows = [[label, code, nm] for (label, code), nm in sorted(seen.items())]
    return table(["", t(lang, "code"), t(lang, "name")], rows, "compact")


def how_tables_relate(lang: str, ex: Extraction | None = None) -> str:
    paragraphs = getattr(ex.layout.report.how_tables_relate, lang) if ex is not None else []
    return "<ul>" + "".join(f"<li>{e(p)}</li>" for p in paragraphs) + "</ul>"


def provenance(ex: Extraction, params: dict, lang: str) -> str:
    versions = []
    for pkg in ("cnbudget", "pandas", "great_expectations", "papermill", "nbconvert", "matplotlib"):
        try:
            versions.append(f"{pkg} {version(pkg.replace('_', '-'))}")
        except PackageNotFoundError:
            versions.append(f"{pkg} ?")
    rows = [
        ["source", ex.meta.get("path")],
        ["sha256", ex.source.sha256],
        ["title", ex.meta.get("title")],
        ["publisher / published", f"{ex.meta.get('publisher', '—')} / {ex.meta.get('published', '—')}"],
        ["layout", ex.layout.name],
        ["parameters", ", ".join(f"{k}={v}" for k, v in params.items())],
        ["versions", f"Python {platform.python_version()}; " + "; ".join(versions)],
        ["run date", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")],
    ]
    return table(["", ""], rows, "compact")
