"""Rates and comparisons the narrative states about two figures it states itself.

"2023年当年预算执行数为60.13万元，2024年预算安排25.77万元，比2023年预算执行数减少57.14%" (a change) and
"全年预算为52.00万元，支出决算为51.32万元，完成全年预算数的98.69%" (a completion rate) are recomputed
from the two amounts of the same sentence. Both amounts are rounded to their printed precision, so
the rate may lie anywhere in the range the rounding allows; the stated rate holds when it is within
half a unit of its last printed digit of that range. "决算数小于全年预算数" is checked against the
two amounts it speaks of.
"""

import re
from decimal import Decimal

from ..words import Text, say
from .figures import Figure
from .records import Check, Ref
from .relations import instance

SHRINK = ("减少", "下降", "降幅", "压减")


def said(figure: dict) -> Text:
    """A narrative figure as the narrative states it: its sentence, quoted."""
    return say("narrative_says", sentence=figure["sentence"])


def quoted_at(figure: dict) -> Text:
    """Where a narrative figure is printed: its line, and its sentence quoted."""
    return say("narrative_quote", line=figure["line"], sentence=figure["sentence"])


def _half(raw: str) -> Decimal:
    decimals = len(raw.split(".", 1)[1]) if "." in raw else 0
    return Decimal("0.5") * Decimal(1).scaleb(-decimals)


def _rate_range(base: dict, current: dict, offset: int = 1) -> tuple[Decimal, Decimal]:
    """The lowest and highest rate (in %) the two rounded amounts allow: current / base − offset."""
    hb, hc = _half(base["value_raw"]), _half(current["value_raw"])
    rates = []
    for b in (base["value"] - hb, base["value"] + hb):
        for c in (current["value"] - hc, current["value"] + hc):
            if b > 0:
                rates.append((c / b - offset) * 100)
    return min(rates), max(rates)


def _pair(figure: dict, before: list[dict]) -> tuple[dict, dict] | None:
    """(the earlier year's amount, this year's amount) among the amounts of the figure's sentence."""
    amounts = [g for g in before if g["kind"] == "amount" and g["unit"] == "万元"]
    year = figure.get("compared_year")
    if len(amounts) != 2 or year is None or year != year:
        return None
    earlier = [g for g in amounts if f"{int(year)}年" in (g.get("clause") or "")]
    if len(earlier) != 1:
        return None
    return earlier[0], next(g for g in amounts if g is not earlier[0])


def stated_change_checks(figures: list[dict]) -> tuple[list[Check], set[str], list[dict]]:
    """(checks, ids of the figures they cover, figures that cannot be recomputed with the reason)."""
    checks, covered, unchecked = [], set(), []
    for k, figure in enumerate(figures):
        if figure["kind"] != "change_percent":
            continue
        same = [g for g in figures[:k] if g["sentence"] == figure["sentence"] and g["line"] <= figure["line"]]
        pair = _pair(figure, same)
        if pair is None:
            continue
        base, current = pair
        covered.add(figure["figure_id"])
        if base["value"] <= 0:
            unchecked.append({"figure": figure, "reason": say("unchecked_zero_base", base=base["value_raw"])})
            continue
        direction = figure.get("direction") if isinstance(figure.get("direction"), str) else ""
        sign = Decimal(-1) if any(w in direction for w in SHRINK) else Decimal(1)
        low, high = _rate_range(base, current)
        nominal = (current["value"] / base["value"] - 1) * 100
        stated_value = sign * figure["value"]
        half = _half(figure["value_raw"])
        decimals = len(figure["value_raw"].split(".", 1)[1]) if "." in figure["value_raw"] else 0
        stated = Figure(stated_value, 1, [figure["line"]], "说明", decimals, "%", said(figure))
        label = Text.same(f"{current['value']}/{base['value']} − 1")
        computed = Figure(nominal, 2, [current["line"]], "说明", 12, "%", label)  # from two figures: not rounded
        description = say(
            "stated_change",
            stated=f"{direction}{figure['value_raw']}%",
            base=base["value_raw"],
            current=current["value_raw"],
        )
        where = quoted_at(figure)
        ref = Ref(f"narrative-change/{figure['figure_id']}", "narrative")
        check = instance(ref, "", stated, computed, description, where, "%")
        # the amounts are rounded: the rate may lie anywhere in [low, high], then half a unit of the stated rate
        check.allowance = max(nominal - (low - half), (high + half) - nominal)
        check.tables = []
        checks.append(check)
    return checks, covered, unchecked


def _completion_pair(figure: dict, before: list[dict]) -> tuple[dict, dict] | None:
    """(the budget, the outturn) a completion rate ("完成全年预算数的98.69%") is computed from."""
    if "完成" not in (figure.get("clause") or "") and "完成" not in figure["sentence"]:
        return None
    amounts = [g for g in before if g["kind"] == "amount" and g["unit"] == "万元"]
    budgets = [g for g in amounts if "预算" in (g.get("clause") or "")]
    outturns = [g for g in amounts if "决算" in (g.get("clause") or "")]
    if len(budgets) < 1 or len(outturns) != 1:
        return None
    return budgets[-1], outturns[0]


def completion_checks(figures: list[dict]) -> tuple[list[Check], set[str]]:
    """Completion rates the narrative states: 决算 / 预算 of the two amounts of the sentence."""
    checks, covered = [], set()
    for k, figure in enumerate(figures):
        if figure["kind"] not in ("percent", "change_percent"):
            continue
        same = [g for g in figures[:k] if g["sentence"] == figure["sentence"]]
        pair = _completion_pair(figure, same)
        if pair is None or pair[0]["value"] <= 0:
            continue
        budget, outturn = pair
        covered.add(figure["figure_id"])
        low, high = _rate_range(budget, outturn, offset=0)
        nominal = outturn["value"] / budget["value"] * 100
        half = _half(figure["value_raw"])
        decimals = len(figure["value_raw"].split(".", 1)[1]) if "." in figure["value_raw"] else 0
        stated = Figure(figure["value"], 1, [figure["line"]], "说明", decimals, "%", said(figure))
        ratio = Text.same(f"{outturn['value']}/{budget['value']}")
        computed = Figure(nominal, 2, [figure["line"]], "说明", 12, "%", ratio)
        description = say(
            "stated_completion", stated=figure["value_raw"], budget=budget["value_raw"], outturn=outturn["value_raw"]
        )
        where = quoted_at(figure)
        check = instance(
            Ref(f"narrative-completion/{figure['figure_id']}", "narrative"),
            "",
            stated,
            computed,
            description,
            where,
            "%",
        )
        check.allowance = max(nominal - (low - half), (high + half) - nominal)
        check.tables = []
        checks.append(check)
    return checks, covered


PAIR = re.compile(
    r"(全年|年初|调整后?)?预算数?为(?P<budget>[\d,]+(?:\.\d+)?)万元[，,、]?\s*(支出)?决算数?为(?P<outturn>[\d,]+(?:\.\d+)?)万元"
)
CLAIM = re.compile(
    r"决算数?(?:[^，,。；;]{0,6})?(?P<rel>小于|大于|低于|高于|超过|等于)|决算数?与[^，,。；;]{0,8}预算数?(?P<flat>持平|相等|一致)"
)
SAYS = {"小于": -1, "低于": -1, "大于": 1, "高于": 1, "超过": 1, "等于": 0, "持平": 0, "相等": 0, "一致": 0}


def direction_checks(paragraphs: list[tuple[str, str, list]]) -> list[Check]:
    """ "决算数小于全年预算数": each claim against the budget and outturn the narrative states before it."""
    checks = []
    text = "".join(t for _, t, _ in paragraphs)
    offsets, position = [], 0
    for _, t, starts in paragraphs:
        offsets.extend((position + o, line) for o, line in starts)
        position += len(t)
    pairs = list(PAIR.finditer(text))
    for k, pair in enumerate(pairs):
        end = pairs[k + 1].start() if k + 1 < len(pairs) else len(text)
        claim = CLAIM.search(text, pair.end(), end)
        if claim is None:
            continue
        budget = Decimal(pair["budget"].replace(",", ""))
        outturn = Decimal(pair["outturn"].replace(",", ""))
        says = SAYS[claim["rel"] or claim["flat"]]
        actual = (outturn > budget) - (outturn < budget)
        line = max((ln for o, ln in offsets if o <= claim.start()), default=0)
        words = text[claim.start() : claim.end()]
        stated = Figure(Decimal(says), 1, [line], "说明", 0, "", Text.same(f"“{words}”"))
        computed = Figure(Decimal(actual), 1, [line], "说明", 0, "", say("versus", a=outturn, b=budget))
        description = say("stated_direction", words=words, outturn=pair["outturn"], budget=pair["budget"])
        check = instance(
            Ref(f"narrative-direction/{line}-{k}", "narrative"),
            "",
            stated,
            computed,
            description,
            say("narrative_line", line=line),
            "",
        )
        check.tables = []
        checks.append(check)
    return checks
