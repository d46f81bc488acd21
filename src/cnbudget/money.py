"""Amounts are money: exact decimals, never floats.

Internally every amount is also expressed as an integer count of ``Q`` = 1e-8 万元
(0.0001 元), fine enough for the 6 decimals of 万元 in table 13 and half a fen in 元 tables.
"""

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from .textnorm import strip_markup

UNITS = {"万元": Decimal(1), "元": Decimal("0.0001")}
Q_PER_WANYUAN = Decimal(10) ** 8
_AMOUNT = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")

BLANK, NIL, VALUE, INVALID = "blank", "nil", "value", "invalid"
# a dash printed where there is nothing to report (-, —, －, ──): like a blank cell, not a number
_NIL = re.compile(r"^[-‐-―−─－]{1,3}$")


def parse_amount(raw: str | None) -> tuple[str, Decimal | None]:
    """Parse one amount cell: ("blank", None), ("nil", None), ("value", Decimal) or ("invalid", None).

    Thousands separators are accepted only in their proper places (``1,312.82``); a sign makes a
    negative amount (``-3.50``). An empty cell is zero-by-omission (blank), and so is a lone dash
    (nil: "-" or "—" printed for nothing); callers keep both distinct from a printed 0.
    """
    text = unicodedata.normalize("NFKC", strip_markup(raw or "")).strip()
    if text == "":
        return BLANK, None
    if _NIL.match(text):
        return NIL, None
    if not _AMOUNT.match(text):
        return INVALID, None
    return VALUE, Decimal(text.replace(",", "").lstrip("+"))


def decimals_of(raw: str) -> int:
    """Number of decimals as written (``5,306.52`` -> 2)."""
    text = strip_markup(raw).strip()
    return len(text.split(".", 1)[1]) if "." in text else 0


def to_wanyuan(amount: Decimal, unit: str) -> Decimal:
    """Convert an amount stated in ``unit`` (万元 or 元) to 万元, exactly."""
    try:
        return amount * UNITS[unit]
    except KeyError:
        raise ValueError(f"unknown money unit {unit!r}; known: {', '.join(UNITS)}") from None


def to_q(amount_wanyuan: Decimal) -> int:
    """万元 -> integer count of 1e-8 万元; exact for every precision the documents use."""
    q = amount_wanyuan * Q_PER_WANYUAN
    if q != q.to_integral_value():
        raise ValueError(f"amount {amount_wanyuan} has more precision than 1e-8 万元")
    return int(q)


def from_q(q: int) -> Decimal:
    """Integer count of 1e-8 万元 -> 万元, normalised for display."""
    return (Decimal(q) / Q_PER_WANYUAN).normalize() if q else Decimal(0)


def round_half_up(amount: Decimal, decimals: int) -> Decimal:
    """Round the way the documents round (half up, not banker's rounding)."""
    return amount.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
