"""The tolerance policy: how far two statements of a figure may differ through rounding alone.

Tolerance policy (README, "Tolerance policy"):
- two statements of the same single figure must be equal (allowance 0);
- a total against a sum of n printed parts may differ by at most n x half a unit of the
  parts' precision (0.005 万元 for 2 decimals), the difference then being `rounding`;
- a figure printed with more decimals (table 13: 6) is rounded half-up to the precision of
  the figure it is compared with before comparing; a statement that cut the digits off instead
  (436,749.89 for 436,749.895134, which rounds to .90) differs by that cut, shown as `rounding`.
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
    """Bring both figures to the coarser precision (round half up) and return (left, right, allowance)."""
    if left.value is None or right.value is None:
        return left.value, right.value, Decimal(0)
    decimals = min(left.decimals, right.decimals)
    lv = round_half_up(left.value, decimals) if left.decimals > decimals and left.parts == 1 else left.value
    rv = round_half_up(right.value, decimals) if right.decimals > decimals and right.parts == 1 else right.value
    lf = Figure(lv, left.parts, decimals=decimals)
    rf = Figure(rv, right.parts, decimals=decimals)
    allowed = allowance(lf, rf)
    for precise, rounded, other in ((left, lv, rv), (right, rv, lv)):
        if precise.parts == 1 and precise.decimals > decimals and _cut(precise.value, decimals) == other:
            allowed = max(allowed, abs(rounded - other))  # stated by cutting the digits off
    return lv, rv, allowed


def _cut(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_DOWN)
