"""Changes the narrative states and computes from two figures it states itself.

"2023年当年预算执行数为60.13万元，2024年预算安排25.77万元，比2023年预算执行数减少57.14%": the rate
is recomputed from the two amounts of the same sentence. Both amounts are rounded to their printed
precision, so the rate may lie anywhere in the range the rounding allows; the stated rate holds when
it is within half a unit of its last printed digit of that range.
"""

from decimal import Decimal

from .figures import Figure
from .records import Check, Ref
from .relations import instance

SHRINK = ("减少", "下降", "降幅", "压减")


def _half(raw: str) -> Decimal:
    decimals = len(raw.split(".", 1)[1]) if "." in raw else 0
    return Decimal("0.5") * Decimal(1).scaleb(-decimals)


def _rate_range(base: dict, current: dict) -> tuple[Decimal, Decimal]:
    """The lowest and highest growth rate (in %) the two rounded amounts allow."""
    hb, hc = _half(base["value_raw"]), _half(current["value_raw"])
    rates = []
    for b in (base["value"] - hb, base["value"] + hb):
        for c in (current["value"] - hc, current["value"] + hc):
            if b > 0:
                rates.append((c / b - 1) * 100)
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
        covered.update({figure["figure_id"], base["figure_id"], current["figure_id"]})
        if base["value"] <= 0:
            unchecked.append({"figure": figure, "reason": f"上年数为{base['value_raw']}万元，增减幅度无从计算"})
            continue
        direction = figure.get("direction") if isinstance(figure.get("direction"), str) else ""
        sign = Decimal(-1) if any(w in direction for w in SHRINK) else Decimal(1)
        low, high = _rate_range(base, current)
        nominal = (current["value"] / base["value"] - 1) * 100
        stated_value = sign * figure["value"]
        half = _half(figure["value_raw"])
        decimals = len(figure["value_raw"].split(".", 1)[1]) if "." in figure["value_raw"] else 0
        stated = Figure(stated_value, 1, [figure["line"]], "说明", decimals, "%", figure["sentence"])
        label = f"{current['value']}/{base['value']} − 1"
        computed = Figure(nominal, 2, [current["line"]], "说明", 12, "%", label)  # from two figures: not rounded
        description = (
            f"说明所述的增减幅度“{direction}{figure['value_raw']}%”，按说明所列的{base['value_raw']}万元"
            f"与{current['value_raw']}万元重新计算"
        )
        where = f"说明 第{figure['line']}行：“{figure['sentence']}”"
        ref = Ref(f"narrative-change/{figure['figure_id']}", "narrative")
        check = instance(ref, "", stated, computed, description, where, "%")
        # the amounts are rounded: the rate may lie anywhere in [low, high], then half a unit of the stated rate
        check.allowance = max(nominal - (low - half), (high + half) - nominal)
        check.tables = []
        checks.append(check)
    return checks, covered, unchecked
