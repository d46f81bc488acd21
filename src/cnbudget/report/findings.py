"""The report's findings: failed checks in plain words, relations not evaluated, the coverage of
checks that passed, and narrative figures no table can confirm."""

from .i18n import TEXT
from .markup import e, t, table


def diff_text(c: dict, lang: str = "zh") -> str:
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


def _finding(c: dict, lang: str, linked: list[dict]) -> str:
    sev = TEXT[lang]["severity"].get(c["severity"], c["severity"])
    numbers = ""
    if c["left"] is not None:
        unit = c.get("unit") or "万元"
        numbers = (
            f'<div class="nums">{e(check_text(c, "left_label", lang) or t(lang, "left"))}: <b>{c["left"]:,.6g}</b> · '
            f"{e(check_text(c, 'right_label', lang) or t(lang, 'right'))}: <b>{c['right']:,.6g}</b> · "
            f"{e(t(lang, 'difference'))}: <b>{c['difference']:+,.6g} {e(unit)}</b></div>"
        )
    detail = "".join(f"<li>{e(d)}</li>" for d in check_text(c, "detail", lang)[:6])
    detail = f'<ul class="detail">{detail}</ul>' if detail else ""
    consequences = ""
    if linked:
        shown = "".join(
            f'<li data-check-id="{e(k["id"])}">{e(check_text(k, "description", lang))}{e(diff_text(k, lang))}'
            f'<div class="where">{e(t(lang, "where"))}: {e(check_text(k, "location", lang))}</div></li>'
            for k in linked
        )
        consequences = f'<div class="linked">{e(t(lang, "linked_intro"))}<ul>{shown}</ul></div>'
    return (
        f'<li class="finding {c["severity"]}" data-check-id="{e(c["id"])}"><span class="badge '
        f'{c["severity"]}">{e(sev)}</span> '
        f'<span class="kind">{e(TEXT[lang]["kind"][c["kind"]])} · '
        f"{e(t(lang, 'tables'))} {e(','.join(c['tables']))}</span><div>{e(check_text(c, 'description', lang))}</div>"
        f'{numbers}<div class="where">{e(t(lang, "where"))}: {e(check_text(c, "location", lang))}</div>{detail}'
        f"{evidence(c, lang)}{consequences}</li>"
    )


def check_text(c: dict, key: str, lang: str) -> str | list:
    """A check's text (or list of texts, for ``detail``) in the report's language: the English one
    when asked for and present."""
    return (c.get(f"{key}_en") if lang == "en" else None) or c.get(key) or ""


def evidence(c: dict, lang: str) -> str:
    """Page crops with the figures outlined (PDF documents only)."""
    crops = c.get("evidence") or []
    if not crops:
        return ""
    figures = "".join(
        f'<figure><img src="{e(x["image"])}" alt="{e(t(lang, "page_n").format(n=x["page"]))}">'
        f"<figcaption>{e(t(lang, 'page_n').format(n=x['page']))}</figcaption></figure>"
        for x in crops
    )
    return f'<div class="evidence">{figures}</div>'


def findings(checks: dict, lang: str) -> str:
    failed = [c for c in checks["checks"] if c["status"] == "fail" and c["severity"] != "linked"]
    linked: dict[str, list[dict]] = {}
    for c in checks["checks"]:
        if c["severity"] == "linked":
            linked.setdefault(c.get("caused_by") or "", []).append(c)
    order = {"material": 0, "minor": 1, "note": 2}
    items = [
        _finding(c, lang, linked.get(c["id"], []))
        for c in sorted(failed, key=lambda c: (order.get(c["severity"], 3), c["kind"]))
    ]
    rounding = [c for c in checks["checks"] if c["severity"] == "rounding"]
    for c in rounding:
        why = "".join(f" {d}" for d in check_text(c, "detail", lang)[:1])
        items.append(
            f'<li class="finding rounding" data-check-id="{e(c["id"])}"><span class="badge '
            f'rounding">{e(TEXT[lang]["severity"]["rounding"])}</span> {e(check_text(c, "description", lang))} '
            f"({e(t(lang, 'difference'))} {c['difference']:+,.6g}, ≤ {c['allowance']:g}){e(why)}</li>"
        )
    return f'<p>{e(t(lang, "findings_intro"))}</p><ol class="findings">{"".join(items) or e(t(lang, "none"))}</ol>'


def not_evaluated(checks: dict, lang: str) -> str:
    """Relations whose figures were not read: what they would have compared and why not."""
    rows = [
        [
            TEXT[lang]["kind"][c["kind"]],
            ",".join(c["tables"]),
            check_text(c, "description", lang),
            check_text(c, "missing", lang),
        ]
        for c in checks["checks"]
        if c["status"] == "not_evaluated"
    ]
    if not rows:
        return f"<p>{e(t(lang, 'none'))}</p>"
    head = ["", t(lang, "tables"), t(lang, "check"), t(lang, "reason")]
    return f"<p>{e(t(lang, 'not_evaluated_intro'))}</p>" + table(head, rows, "compact")


def passed(checks: dict, lang: str) -> str:
    groups: dict[str, list] = {}
    for c in checks["checks"]:
        if c["status"] == "pass":
            groups.setdefault("narrative" if c["kind"] == "narrative" else c["relation"], []).append(c)
    rows = []
    for relation, cs in groups.items():
        parts = check_text(cs[0], "description", lang).split("：" if lang != "en" else ": ")
        if cs[0]["kind"] == "narrative":
            description = t(lang, "narrative_agrees")
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
        ["", t(lang, "tables"), "id", t(lang, "check"), t(lang, "count")], rows, "compact passed"
    )


SHOWN_UNCHECKED = 30  # the report lists the first ones; checks.json holds them all


def unchecked(checks: dict, lang: str) -> str:
    every = checks.get("unchecked_narrative", [])
    rows = [
        [u["label"], f"{u['value']} {u['unit']}", check_text(u, "reason", lang), t(lang, "line_n").format(n=u["line"])]
        for u in every[:SHOWN_UNCHECKED]
    ]
    shown = table([t(lang, "name"), t(lang, "amount"), t(lang, "reason"), t(lang, "where")], rows, "compact")
    if len(every) > SHOWN_UNCHECKED:
        shown += f"<p>{e(t(lang, 'unchecked_more').format(shown=SHOWN_UNCHECKED, total=len(every)))}</p>"
    return shown
