"""Text normalisation for matching; the original text is always kept beside it."""

import re
import unicodedata

_TAG = re.compile(r"</?(?:b|p|strong|em)>", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
# Characters that exist in a full-width and a half-width form.
_WIDE = re.compile(r"[\uff01-\uff5e\u3000]")
_NARROW_PUNCT = re.compile(r"[!-/:-@\[-`{-~]")


def strip_markup(text: str) -> str:
    """Remove the inline HTML tags the text conversion wraps cells in (<b>, <p>)."""
    return _TAG.sub("", text)


def norm(text: str) -> str:
    """Matching key: markup removed, NFKC (full-width to half-width), all white space removed."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", strip_markup(text)))


def punctuation_widths(text: str) -> set[str]:
    """Which widths of punctuation a text uses: a subset of {"full", "half"}."""
    widths = set()
    if _WIDE.search(text):
        widths.add("full")
    if _NARROW_PUNCT.search(text):
        widths.add("half")
    return widths


_CN_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}


def cn_number(text: str) -> int:
    """一 .. 九十九 as an int ("十一" -> 11, "二十" -> 20, "二十一" -> 21)."""
    if "十" not in text:
        return _CN_DIGITS[text]
    tens, _, units = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)
