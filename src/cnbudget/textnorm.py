"""Text normalisation for matching; the original text is always kept beside it."""

import difflib
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


# a Chinese numeral from 一 to 九十九, as printed in labels and ordinals (never "二一" or "十十")
CN_NUMERAL = r"(?:[二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九])"

_CN_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}


def cn_number(text: str) -> int:
    """一 .. 九十九 as an int ("十一" -> 11, "二十" -> 20, "二十一" -> 21)."""
    if "十" not in text:
        return _CN_DIGITS[text]
    tens, _, units = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def match_names(left: list[str], right: list[str], cutoff: float = 0.6) -> dict[str, str | None]:
    """Pair each left name with a right name: exact normalised match first, then the most similar."""
    pairs: dict[str, str | None] = {}
    free = list(right)
    for name in left:
        exact = next((r for r in free if norm(r) == norm(name)), None)
        if exact is not None:
            pairs[name] = exact
            free.remove(exact)
    for name in left:
        if name in pairs:
            continue
        scored = sorted(((difflib.SequenceMatcher(None, norm(name), norm(r)).ratio(), r) for r in free), reverse=True)
        if scored and scored[0][0] >= cutoff:
            pairs[name] = scored[0][1]
            free.remove(scored[0][1])
        else:
            pairs[name] = None
    for r in free:
        pairs.setdefault(f"\x00{r}", r)  # right-only names, marked with a NUL prefix
    return pairs
