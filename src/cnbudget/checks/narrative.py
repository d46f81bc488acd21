"""Narrative checks: every figure stated in 情况说明 against the tables it restates."""

import re
from decimal import Decimal

from ..layouts.relations import NarrativeDefinition, NarrativeRule
from ..layouts.selectors import Condition, Selector
from ..money import UNITS, round_half_up, to_wanyuan
from ..tables import Extraction
from ..tables.narrative import paragraphs
from ..textnorm import match_names, norm
from ..words import Text, join, say
from .figures import Figure, precision, resolve, select_rows
from .records import Check, Ref
from .relations import instance
from .relations.base import lines_text, places
from .stated_changes import completion_checks, direction_checks, quoted_at, said, stated_change_checks
from .tolerance import compare, half_unit


def _rules(ex: Extraction) -> list[NarrativeRule]:
    rules = ex.layout.relations.narrative.rule
    return sorted(rules, key=lambda r: r.section is None)  # rules bound to a section first


def match_rule(ex: Extraction, figure: dict) -> tuple[NarrativeRule | None, dict]:
    kind = "count" if figure["kind"] == "count" else "amount"
    for rule in _rules(ex):
        if rule.kind != kind:
            continue
        if rule.section is not None and not re.search(rule.section, figure["section"] or ""):
            continue
        m = re.search(rule.label, figure["label_key"] or "")
        if not m:
            continue
        params = {k: norm(v) for k, v in m.groupdict().items() if v}
        if rule.section_label is not None:
            in_section = re.search(rule.section_label, norm(figure["section"] or ""))
            if not in_section:
                continue
            params.update({k: norm(v) for k, v in in_section.groupdict().items() if v})
        return rule, params
    return None, {}


def _stated(figure: dict) -> Figure:
    """A narrative amount as stated: in 万元, at the precision it is printed with ("1624.3万元" has one
    decimal; "17,192万元" none; "1,121,703.54元" is 万元 to 6 decimals)."""
    value = to_wanyuan(figure["value"], figure["unit"]) if figure["unit"] in UNITS else figure["value"]
    raw = figure["value_raw"]
    decimals = len(raw.split(".", 1)[1]) if "." in raw else 0
    if figure["unit"] == "元":
        decimals += 4
    unit = "个" if figure["kind"] == "count" else "万元"
    decimals = decimals if unit == "万元" else 0
    return Figure(value, 1, [figure["line"]], "说明", decimals, unit, said(figure), cells=[(figure["line"], None, raw)])


def _unchecked(fig: dict, reason: Text) -> dict:
    return {**_brief(fig), "reason": reason.zh, "reason_en": reason.en}


def _percent_check(ex: Extraction, fig: dict, shares: list) -> Check | Text:
    """A stated share recomputed from the tables, or why it cannot be."""
    cfg = ex.layout.relations.narrative
    rule, params = match_rule(ex, {**fig, "kind": "amount"})
    if rule is None or fig.get("of_amount") is None:
        return say("unchecked_no_numerator")
    numerator = resolve(ex, rule.figure, params)
    share_of = fig.get("share_of") if isinstance(fig.get("share_of"), str) else ""
    if share_of and share_of not in WHOLE:
        share_rule, share_params = match_rule(
            ex, {"kind": "amount", "section": fig.get("section"), "label_key": share_of}
        )
        if share_rule is None:
            return say("unchecked_no_denominator", name=share_of)
        denominator = resolve(ex, share_rule.figure, share_params)
    else:
        denominator = resolve(ex, cfg.percent_of)
    raw = fig["value_raw"]
    decimals = len(raw.split(".")[1]) if "." in raw else 0
    stated = Figure(fig["value"], 1, [fig["line"]], "说明", decimals, "%", said(fig), cells=[(fig["line"], None, raw)])
    if numerator.value is None or not denominator.value:
        return say("unchecked_share_amounts")
    exact = numerator.value / denominator.value * 100
    recomputed = Figure(exact, 1, numerator.lines, numerator.table, 12, "%", say("share_recomputed"))
    recomputed.cells = numerator.cells + denominator.cells
    recomputed.lines = sorted({*numerator.lines, *denominator.lines})
    desc = say("share_check", label=fig["label"], value=raw, numerator=numerator.value, denominator=denominator.value)
    row = instance(
        Ref(f"narrative/{fig['figure_id']}", "narrative"), "", stated, recomputed, desc, quoted_at(fig), unit="%"
    )
    row.allowance += share_allowance(numerator, denominator)
    row.tables = sorted({numerator.table, denominator.table})
    shares.append((row, (fig.get("section"), denominator.label), stated.decimals))
    return row


WHOLE = ("本年支出合计", "本年收入合计", "总额", "总支出", "支出总额", "收入总额")  # a share of everything


def narrative_checks(ex: Extraction) -> tuple[list[Check], list[dict]]:
    """(check rows, figures that no table states: year-on-year changes, assets, thresholds)."""
    figures = ex.narrative.to_dict("records") if not ex.narrative.empty else []
    rows, covered, internal = stated_change_checks(figures)
    completions, completed = completion_checks(figures)
    paras = list(paragraphs(ex.document.narrative)) if ex.document else []
    rows += completions + direction_checks(paras)
    covered |= completed
    unchecked = [_unchecked(u["figure"], u["reason"]) for u in internal]
    shares: list[tuple[Check, tuple, int]] = []  # share checks, their group (heading, denominator), decimals
    printed = None  # the tables' figures, made once when a figure matches no rule
    for fig in figures:
        if fig["figure_id"] in covered:
            continue
        if fig["kind"] in ("change", "change_percent"):
            year = fig.get("compared_year")
            known = year is not None and not (isinstance(year, float) and year != year)
            reason = say("unchecked_change_year", year=int(year)) if known else say("unchecked_change")
            unchecked.append(_unchecked(fig, reason))
            continue
        if fig["kind"] == "percent":
            outcome = _percent_check(ex, fig, shares)
            if isinstance(outcome, Text):
                unchecked.append(_unchecked(fig, outcome))
            else:
                rows.append(outcome)
            continue
        definition = _definition(ex, fig, paras)
        if definition is not None:
            rows.append(_definition_check(ex, fig, definition))
            continue
        rule, params = match_rule(ex, fig)
        if rule is None:
            printed = _printed_figures(ex) if printed is None else printed
            unchecked.append(_unchecked(fig, _no_rule_reason(printed, fig)))
            continue
        table_fig, renamed = resolve_named(ex, rule.figure, params)
        if table_fig.value is None:
            unchecked.append(_unchecked(fig, say("unchecked_row_not_found", what=table_fig.label)))
            continue
        table_fig.parts = 1  # a table figure restated in the text is one statement
        table_fig = _closest(ex, rule, params, fig, table_fig)
        unit = "个" if fig["kind"] == "count" else "万元"
        desc = say("restates", label=fig["label"], value=fig["value_raw"], unit=fig["unit"], table=table_fig.table)
        if renamed:
            desc += say("renamed", said=params["name"], printed=renamed)
        location = places(quoted_at(fig), lines_text(table_fig))
        row = instance(
            Ref(f"narrative/{fig['figure_id']}", "narrative"), "", _stated(fig), table_fig, desc, location, unit=unit
        )
        row.tables = [table_fig.table]
        rows.append(row)
    nudged_to_100(shares)
    return rows, unchecked


def _definition(ex: Extraction, fig: dict, paras: list) -> NarrativeDefinition | None:
    """The layout's definition that this figure's paragraph states ("运行经费指…公用经费"), if any."""
    if fig["kind"] != "amount":
        return None
    for definition in ex.layout.relations.narrative.definition:
        if not re.search(definition.label, fig["label_key"] or ""):
            continue
        for _, text, starts in paras:
            if any(line == fig["line"] for _, line in starts) and re.search(definition.defines, text):
                return definition
    return None


def _definition_check(ex: Extraction, fig: dict, definition: NarrativeDefinition) -> Check:
    """A figure the narrative defines in words, against what the definition equates it to; a figure
    that instead equals the narrower sum the definition itself lists is a note that says so."""
    stated = _stated(fig)
    term = Text(definition.term, definition.term_en)
    table_fig = resolve(ex, definition.figure)
    table_fig.parts = 1
    desc = say(
        "defined_as", label=fig["label"], value=fig["value_raw"], unit=fig["unit"], term=term, table=table_fig.table
    )
    location = places(quoted_at(fig), lines_text(table_fig))
    row = instance(Ref(f"narrative/{fig['figure_id']}", "narrative"), "", stated, table_fig, desc, location)
    row.tables = [table_fig.table]
    if definition.narrower is None or _agrees(stated, table_fig):
        return row
    narrower = resolve(ex, definition.narrower)
    if narrower.value is None or not _agrees(stated, narrower):
        return row
    words = Text(definition.narrower_words, definition.narrower_words_en or definition.narrower_words)
    row.note = say(
        "defined_narrower",
        term=term,
        table=narrower.table,
        whole=table_fig.value,
        narrower=words,
        amount=narrower.value,
    )
    row.detail.append(row.note)
    rows = select_rows(ex, definition.narrower)
    items = join([Text.same(_item(r)) for _, r in rows.iterrows()])
    row.detail.append(say("label_narrower", narrower=words, items=items))
    return row


def _item(row) -> str:
    """A table row in the document's words: its code and name, with the amounts it prints."""
    for stem in ("economic", "function", "gov_economic"):
        if isinstance(row.get(f"{stem}_code"), str):
            return f"{row[f'{stem}_code']} {row.get(f'{stem}_name') or ''}".strip()
    return str(row.get("line"))


def _printed_figures(ex: Extraction) -> list[tuple]:
    """Every non-zero amount cell the tables print, with its figure: (cell, Figure)."""
    if ex.amounts.empty:
        return []
    found = []
    for cell in ex.amounts[ex.amounts["status"] == "value"].itertuples():
        amount = cell.amount_wanyuan
        if amount is None or amount == 0:
            continue
        found.append((cell, Figure(amount, 1, [cell.line], cell.table, precision([cell.amount], cell.unit, 2))))
    return found


def _no_rule_reason(printed: list[tuple], fig: dict) -> Text:
    """Why a narrative amount no rule matches is not checked: the cells that print the same figure
    (``printed``: ``_printed_figures``; so that a reader is never told "not in the tables" about a
    figure a table prints), or none."""
    stated = _stated(fig)
    if stated.value is None or fig["kind"] != "amount":
        return say("unchecked_no_value", label=fig["label"])
    for cell, table_fig in printed:
        if _agrees(stated, table_fig):
            where = Text.same(f"{cell.row_label} · {cell.column_label}: {cell.raw}")
            return say("unchecked_same_value", table=cell.table, line=cell.line, where=where, label=fig["label"])
    return say("unchecked_no_value", label=fig["label"])


def _closest(ex: Extraction, rule, params: dict, fig: dict, first: Figure) -> Figure:
    """The rule's figure, or the first of its alternatives (``also``) that the stated figure agrees
    with: words that may name either measure are checked against each, and fail only when they
    agree with none (then against the rule's own figure)."""
    stated = _stated(fig)
    for sel in rule.also:
        if _agrees(stated, first):
            return first
        other = resolve(ex, sel, params)
        if other.value is not None:
            other.parts = 1
            if _agrees(stated, other):
                return other
    return first


def _agrees(stated: Figure, table: Figure) -> bool:
    left, right, allowed = compare(stated, table)
    return left is not None and right is not None and abs(left - right) <= allowed


def share_allowance(numerator: Figure, denominator: Figure) -> Decimal:
    """How far a share computed from two printed (rounded) amounts may be from the share of the exact
    amounts, in percentage points: 100 × (Δa/b + a·Δb/b²), Δ being half a unit of each amount's
    printed precision for each part it sums."""
    a, b = abs(numerator.value), abs(denominator.value)
    if not b:
        return Decimal(0)
    da = max(numerator.parts, 1) * half_unit(numerator.decimals)
    db = max(denominator.parts, 1) * half_unit(denominator.decimals)
    return 100 * (da / b + a * db / (b * b))


def nudged_to_100(shares: list[tuple[Check, tuple, int]]) -> None:
    """Shares of one whole that the narrative rounded so that they total exactly 100% ("占86.05% …
    占9.55%" where 29.42/307.82 is 9.5575%): a share moved by one unit of its last digit for that
    purpose is a rounding convention, not a disagreement. It is allowed one unit and says why."""
    groups: dict[tuple, list[tuple[Check, int]]] = {}
    for check, group, decimals in shares:
        groups.setdefault(group, []).append((check, decimals))
    for members in groups.values():
        if len(members) < 2 or len({d for _, d in members}) != 1:
            continue
        decimals = members[0][1]
        unit = Decimal(1).scaleb(-decimals)
        rounded = [round_half_up(c.right, decimals) for c, _ in members]
        if sum(c.left for c, _ in members) != 100 or sum(rounded) == 100:
            continue
        deltas = [c.left - r for (c, _), r in zip(members, rounded, strict=True)]
        if any(abs(d) > unit for d in deltas) or sum(deltas) != 100 - sum(rounded):
            continue
        for (check, _), delta, exact in zip(members, deltas, rounded, strict=True):
            if delta:
                check.allowance = unit
                check.detail.append(say("nudged_to_100", delta=f"{delta:+}", exact=exact))


def resolve_named(ex: Extraction, sel: Selector, params: dict) -> tuple[Figure, str | None]:
    """Resolve a rule's selector; when the narrative's name is not in the table, try the most
    similar name there ("一般行政事务管理" for "一般行政管理事务"); returns (figure, name used or None)."""
    figure = resolve(ex, sel, params)
    if not figure.lines and "name" in params:
        renamed = _similar_name(ex, sel, params["name"])
        if renamed:
            return resolve(ex, sel, {**params, "name": renamed}), renamed
    return figure, None


def _name_column(sel: Selector) -> str | None:
    """The column a selector compares with the narrative's ``{name}`` (``function_key = "{name}"``)."""
    for column, condition in (sel.where or {}).items():
        value = condition.eq if isinstance(condition, Condition) else condition
        if value == "{name}" and column.endswith("_key"):
            return column
    return None


def _similar_name(ex: Extraction, sel: Selector, name: str) -> str | None:
    """The table's name most like ``name`` (for "一般行政事务管理" vs "一般行政管理事务")."""
    column = _name_column(sel)
    if column is None or not ex.has(sel.table):
        return None
    frame = ex.frame(sel.table, sel.frame)
    if column not in frame.columns:
        return None
    candidates = [c for c in dict.fromkeys(frame[column].dropna()) if c]
    match = match_names([name], candidates, cutoff=0.75).get(name)
    return match


def _brief(fig: dict) -> dict:
    return {
        "figure_id": fig["figure_id"],
        "line": fig["line"],
        "value": str(fig["value"]),
        "unit": fig["unit"],
        "label": fig["label"],
        "sentence": fig["sentence"],
    }
