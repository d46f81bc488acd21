"""HTML building blocks of the report: escaping, wording lookup, amounts, tables."""

import html
from decimal import Decimal

import pandas as pd

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
