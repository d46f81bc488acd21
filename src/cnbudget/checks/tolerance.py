"""The tolerance policy: how far two statements of a figure may differ through rounding alone.

Tolerance policy (README, "Tolerance policy"):
- two statements of the same single figure must be equal (allowance 0);
- a total against a sum of n printed parts may differ by at most n x half a unit of the
  parts' precision (0.005 万元 for 2 decimals), the difference then being `rounding`;
- a figure printed with more decimals (table 13: 6) is rounded half-up to the precision of
  the figure it is compared with before comparing; a statement within half a unit of the exact
  figure (12% for 12.5%) or, for an amount, that cut the digits off (436,749.89 for 436,749.895134,
  which rounds to .90) differs by `rounding` (a share cut short, 0.06% for 0.0655%, is wrong); a
  figure is never rounded before it is compared with a sum.
"""

from decimal import ROUND_DOWN, Decimal

from ..money import round_half_up
from .figures import Figure

HALF = Decimal("0.5")


def half_unit(decimals: int) -> Decimal:
    return HALF * Decimal(1).scaleb(-decimals)


def allowance(*figures: Figure) -> Decimal:
    """n x half unit, n = number of printed parts summed on the sides that are sums."""
    decimals = min(f.decimals for f in figures)
    n = sum(f.parts for f in figures if f.parts > 1)
    return n * half_unit(decimals)


def compare(left: Figure, right: Figure) -> tuple[Decimal | None, Decimal | None, Decimal]:
    """The two figures as compared and the allowance.

    - Two single statements at different precisions: the finer one is rounded half up to the
      coarser precision; it may also differ from the coarser by at most half a unit of it (12% for
      an exact 12.5%) or, for an amount, be its digits cut off (436,749.89 for 436,749.895134),
      both shown as rounding.
    - A single figure against a sum of parts: nothing is rounded (rounding the finer figure would add
      half a unit: 26.405 against 10.28 + 16.14 differs by 0.015); the allowance is n half units of
      the parts' precision.
    """
    if left.value is None or right.value is None:
        return left.value, right.value, Decimal(0)
    decimals = min(left.decimals, right.decimals)
    singles = left.parts == 1 and right.parts == 1
    lv = round_half_up(left.value, decimals) if singles and left.decimals > decimals else left.value
    rv = round_half_up(right.value, decimals) if singles and right.decimals > decimals else right.value
    lf = Figure(lv, left.parts, decimals=decimals)
    rf = Figure(rv, right.parts, decimals=decimals)
    allowed = allowance(lf, rf)
    if not singles:
        return lv, rv, allowed
    for precise, rounded, other in ((left, lv, rv), (right, rv, lv)):
        if precise.decimals <= decimals or rounded == other:
            continue
        within_half = abs(precise.value - other) <= half_unit(decimals)  # the half-unit rule, edges included
        cut = precise.unit != "%" and _cut(precise.value, decimals) == other  # an amount's digits cut off
        if within_half or cut:
            allowed = max(allowed, abs(rounded - other))
    return lv, rv, allowed


def _cut(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_DOWN)
