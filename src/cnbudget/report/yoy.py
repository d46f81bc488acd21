"""HTML sections of the year-over-year comparison (notebooks/04_compare.ipynb)."""

from decimal import Decimal

import pandas as pd

from .charts import barh
from .findings import check_text
from .i18n import TEXT
from .sections import Markup, e, money, table

LABELS = {
    "zh": {
        "title": "{department}：{y0} 年与 {y1} 年预算比较",
        "intro": (
            "两份文件各自按本项目的流程提取；"
            "下表直接用两年表格中的数字计算变化。说明中所述的同比变化逐项与上一年度文件的表格核对。"
        ),
        "headline": "总额与结构",
        "functional": "按功能分类（类）",
        "economic_classes": "基本支出按经济分类（类）",
        "economic": "基本支出按经济分类（款）",
        "checks": "说明中的同比变化核对",
        "unchecked": "未能核对的同比表述",
        "code": "编码",
        "name": "名称",
        "previous": "{y0} 年",
        "current": "{y1} 年",
        "change": "变化",
        "pct": "变化率",
        "stated": "说明所述",
        "computed": "按表格计算",
        "holds": "一致",
        "differs": "不一致",
        "reason": "原因",
        "where": "位置",
        "chart": "功能分类（类）两年对比（万元）",
    },
    "en": {
        "title": "{department}: budget {y0} vs {y1}",
        "intro": (
            "Each document is extracted by this project's pipeline; changes below are computed from the two years' "
            "own tables. Every year-on-year change stated in the later narrative is checked against the earlier "
            "year's tables."
        ),
        "headline": "Totals and structure",
        "functional": "By functional class (类)",
        "economic_classes": "Basic spending by economic class (类)",
        "economic": "Basic spending by economic item (款)",
        "checks": "Year-on-year changes stated in the narrative, checked",
        "unchecked": "Stated changes that could not be checked",
        "code": "Code",
        "name": "Name",
        "previous": "{y0}",
        "current": "{y1}",
        "change": "Change",
        "pct": "Change %",
        "stated": "Stated",
        "computed": "From the tables",
        "holds": "agrees",
        "differs": "disagrees",
        "reason": "Reason",
        "where": "Where",
        "chart": "Functional classes, both years (万元, 10k yuan)",
    },
}


def _l(lang: str, key: str, result: dict) -> str:
    return LABELS[lang][key].format(
        department=result.get("department") or "", y0=result["previous"]["year"], y1=result["current"]["year"]
    )


def _pct(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    return f"{Decimal(str(value)):+.2f}%"


def _signed(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    return f"{Decimal(str(value)):+,.2f}"


def title(result: dict, lang: str) -> str:
    return f"<h1>{e(_l(lang, 'title', result))}</h1><p>{e(LABELS[lang]['intro'])}</p>"


def changes(result: dict, name: str, lang: str) -> str:
    frame = result[name]
    if frame.empty:
        return f"<h2>{e(_l(lang, name, result))}</h2><p>{e(TEXT[lang]['none'])}</p>"
    labels = TEXT[lang]
    rows = [
        [
            r.code,
            labels.get(r.name, r.name) if name == "headline" else r.name,
            money(r.previous),
            money(r.current),
            _signed(r.change),
            _pct(r.change_pct),
        ]
        for r in frame.itertuples()
    ]
    head = [
        _l(lang, "code", result),
        _l(lang, "name", result),
        _l(lang, "previous", result),
        _l(lang, "current", result),
        _l(lang, "change", result),
        _l(lang, "pct", result),
    ]
    out = f"<h2>{e(_l(lang, name, result))}</h2>" + table(head, rows, "compact")
    if name == "functional":
        names = [
            f"{r.code} {r.name} · {y}"
            for r in frame.itertuples()
            for y in (result["previous"]["year"], result["current"]["year"])
        ]
        values = [float(v or 0) for r in frame.itertuples() for v in (r.previous, r.current)]
        out += barh(names, values, _l(lang, "chart", result))
    return out


def checks(result: dict, lang: str) -> str:
    rows = []
    for c in sorted(result["checks"], key=lambda c: (c["holds"], c["severity"] != "material")):
        verdict = (
            _l(lang, "holds", result)
            if c["holds"]
            else f"{_l(lang, 'differs', result)} · {TEXT[lang]['severity'][c['severity']]}"
        )
        cls = "ok" if c["holds"] else "failed" if c["severity"] == "material" else "minor"
        unit = c.get("unit") or "万元"
        rows.append(
            [
                Markup(f'<span class="{cls}">{e(verdict)}</span>'),
                check_text(c, "description", lang),
                f"{c['left']:+,.2f} {unit}",
                f"{c['right']:+,.2f} {unit}",
                check_text(c, "location", lang),
            ]
        )
    head = [
        "",
        _l(lang, "name", result),
        _l(lang, "stated", result),
        _l(lang, "computed", result),
        _l(lang, "where", result),
    ]
    body = table(head, rows, "compact") if rows else f"<p>{e(TEXT[lang]['none'])}</p>"
    return f"<h2>{e(_l(lang, 'checks', result))}</h2>{body}"


def unchecked(result: dict, lang: str) -> str:
    rows = [
        [
            u["label"],
            f"{u['value']} {u['unit']}",
            check_text(u, "reason", lang),
            TEXT[lang]["line_n"].format(n=u["line"]),
        ]
        for u in result["unchecked"]
    ]
    head = [_l(lang, "name", result), _l(lang, "stated", result), _l(lang, "reason", result), _l(lang, "where", result)]
    return f"<h2>{e(_l(lang, 'unchecked', result))}</h2>" + (
        table(head, rows, "compact") if rows else f"<p>{e(TEXT[lang]['none'])}</p>"
    )
