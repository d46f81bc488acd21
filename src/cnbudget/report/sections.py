"""HTML fragments of the report, one function per section; the notebook displays them."""

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
from ..words import value
from .charts import barh
from .findings import check_text, diff_text
from .i18n import TEXT
from .markup import Markup, e, money, t, table


def _rows(ex: Extraction, sel: Selector | None) -> pd.DataFrame:
    if sel is None or not ex.has(sel.table):
        return pd.DataFrame()
    return select_rows(ex, sel if sel.row else sel.model_copy(update={"row": "any"}))


def _missing_banner(ex: Extraction, checks: dict, lang: str) -> str:
    """Missing tables named at the top of the report, with how many checks they left unevaluated."""
    tables = "、".join(f"表{s.id} {s.title_zh}" for s in ex.missing)
    n = sum(1 for c in checks["checks"] if c["status"] == "not_evaluated")
    return f'<p class="banner">{e(t(lang, "missing_banner").format(tables=tables, n=n))}</p>'


def summary(ex: Extraction, checks: dict, lang: str) -> str:
    cfg = ex.layout.report.summary
    parts = [_missing_banner(ex, checks, lang)] if ex.missing else []
    total = value_or_none(ex, cfg.total) if cfg.total is not None else None
    pct = lambda v: f"{Decimal(v) / total * 100:.2f}%" if v is not None and total else "—"  # noqa: E731
    if cfg.total is not None:  # the generic reader knows no total: it shows none rather than a dash
        parts.append(f'<div class="kpi"><span>{e(t(lang, "total"))}</span><strong>{money(total)} 万元</strong></div>')
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
                f"{value('direction', r.direction).get(lang) if r.direction else ''} {r.value_raw} {r.unit}",
                f"{r.compared_year:.0f}" if r.compared_year == r.compared_year else "",
                Markup(f'<span class="src">{e(t(lang, "line_n").format(n=r.line))}</span>'),
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
    items = "".join(f"<li>{e(check_text(c, 'description', lang))}{e(diff_text(c, lang))}</li>" for c in material[:8])
    parts.append(f'<h3>{e(t(lang, "headline"))}</h3><p class="headline">{e(headline)}</p><ul>{items}</ul>')
    return "\n".join(parts)


def _sum(values) -> Decimal:
    return sum((v for v in values if v is not None and not (isinstance(v, float) and pd.isna(v))), Decimal(0))


def spending(ex: Extraction, lang: str) -> str:
    """The spending sections the layout's report spec declares (none for the generic reader)."""
    cfg = ex.layout.report
    parts = []
    for key, build in (("functional", functional), ("economic", economic)):
        if getattr(cfg, key) is not None:
            parts.append(f"<h3 id='{key}'>{e(t(lang, key))}</h3>{build(ex, lang)}")
    parts.extend([projects(ex, lang), procurement_and_three_public(ex, lang)])
    return "\n".join(p for p in parts if p) or f"<p>{e(t(lang, 'none'))}</p>"


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
    spec = ex.layout.table(cfg.table)
    columns = [c for c in (cfg.columns or [amount]) if c in frame.columns]
    # one line per economic code: a table printing each code under several government economic
    # codes (北京 2026: 30101 under 50101 and 50501) is summed code by code
    detail = filter_rows(frame, cfg.where)
    names = detail.groupby("economic_code")["economic_name"].first()
    detail = detail.groupby("economic_code")[columns].agg(_sum).reset_index()
    detail["economic_name"] = detail["economic_code"].map(names)
    detail = detail.sort_values(amount, ascending=False, key=lambda s: s.map(lambda v: v or Decimal(0)))
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
            t(lang, "amount") if c == amount else t(lang, c) if c in TEXT[lang] else spec.column_words(c).get(lang)
            for c in columns
        ],
    ]
    return table(headers, rows, "compact") + chart


SHOWN_PROJECTS = 20  # the report lists the largest projects; the data holds them all


def projects(ex: Extraction, lang: str) -> str:
    """The largest projects with their performance targets; how many more, and where they all are."""
    cfg = ex.layout.report.projects
    if cfg is None or not ex.has(cfg.table):
        return ""
    listed = ex.frame(cfg.table, cfg.frame)
    detail = listed[listed["row_type"] == "detail"] if "row_type" in listed.columns else listed
    totals = detail.groupby(cfg.name, sort=False)[cfg.amount].apply(_sum).sort_values(ascending=False)
    perf_table = cfg.performance
    perf = ex.frame(perf_table, "projects") if perf_table and ex.has(perf_table) else pd.DataFrame()
    shown = totals.head(SHOWN_PROJECTS)
    pairs = match_names(list(shown.index), perf["project_name"].dropna().tolist()) if not perf.empty else {}
    rows = []
    for rank, (name, amount) in enumerate(shown.items(), start=1):
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
    more = ""
    if len(totals) > len(shown):
        data_file = f"{ex.written_name(ex.frame_name(cfg.table, cfg.frame))}.csv"
        more = f"<p>{e(t(lang, 'projects_more').format(shown=len(shown), total=len(totals), file=data_file))}</p>"
    return (
        f"<h3 id='projects'>{e(t(lang, 'projects'))}</h3>"
        + table(["#", t(lang, "name"), t(lang, "amount"), t(lang, "indicators"), t(lang, "target")], rows, "compact")
        + more
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
                [spec.column_words(c).get(lang) for c in cols],
                [[money(getattr(r, c)) for c in cols] for r in frame.itertuples()],
            )
        )
    return "\n".join(out)


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
