"""Words a reader sees, in Chinese and English, built only from words declared as data.

Every check description, figure label, location and reason is a ``Text`` (its Chinese and its
English) assembled from three declared sources, never from code identifiers:

- the phrases of ``layouts/words.toml`` (``say("table_total", table=…, column=…)``);
- the names of the tidy tables' fields and of their coded values (``field("economic_code")``,
  ``value("side", "income")``), declared in the same file;
- the glossary ``layouts/glossary.toml``, which gives the English of the words the documents and the
  layouts print (table titles, column headers, item names: ``term("基本支出")``).

Names quoted from a document (a project, an item the glossary does not know) stay Chinese in the
English text, between quotation marks.
"""

import re
import tomllib
from dataclasses import dataclass
from functools import cache

from .errors import LayoutError
from .resources import packaged

LANGS = ("zh", "en")
_SLOT = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Text:
    """One text in both languages. ``str()`` is the Chinese (the document's language)."""

    zh: str
    en: str

    @classmethod
    def same(cls, words: object) -> "Text":
        """Words that read the same in both languages: numbers, codes, names quoted from a document."""
        return words if isinstance(words, Text) else cls(str(words), str(words))

    def __str__(self) -> str:
        return self.zh

    def __bool__(self) -> bool:
        return bool(self.zh or self.en)

    def __add__(self, other: "Text | str") -> "Text":
        other = Text.same(other)
        return Text(self.zh + other.zh, self.en + other.en)

    def __radd__(self, other: str) -> "Text":
        return Text.same(other) + self

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


EMPTY = Text("", "")


def _check_phrases(phrases: dict) -> dict[str, dict[str, str]]:
    for key, entry in phrases.items():
        if set(entry) != set(LANGS):
            raise LayoutError(f"layouts/words.toml: phrase {key!r} needs exactly zh and en, has {sorted(entry)}")
        slots = [set(_SLOT.findall(entry[lang])) for lang in LANGS]
        if slots[0] != slots[1]:
            raise LayoutError(f"layouts/words.toml: phrase {key!r}: zh and en fill different slots {slots}")
    return phrases


@cache
def vocabulary() -> dict:
    """``layouts/words.toml`` (phrases, fields, coded values) and ``layouts/glossary.toml`` (terms)."""
    try:
        words = tomllib.loads(packaged("layouts/words.toml").read_text(encoding="utf-8"))
        glossary = tomllib.loads(packaged("layouts/glossary.toml").read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise LayoutError(f"layouts/words.toml or glossary.toml: not valid TOML ({exc})") from None
    _check_phrases(words["phrase"])
    return {**words, "term": glossary.get("term", {})}


def say(key: str, **slots: object) -> Text:
    """The phrase ``key`` with its slots filled in each language (a ``Text`` slot gives its own
    language; anything else reads the same in both)."""
    try:
        entry = vocabulary()["phrase"][key]
    except KeyError:
        raise LayoutError(f"layouts/words.toml: no phrase {key!r}") from None
    return fill(entry, f"layouts/words.toml: phrase {key!r}", **slots)


def fill(templates: dict[str, str], declared_in: str, /, **slots: object) -> Text:
    """``templates`` (one per language) with their slots filled, as ``say`` fills a phrase; a slot
    the template needs but is not given is an error naming where the template is declared
    (positional-only, so that any slot name, ``where`` included, is free)."""
    filled = {}
    for lang in LANGS:
        values = {name: (v.get(lang) if isinstance(v, Text) else str(v)) for name, v in slots.items()}
        try:
            filled[lang] = templates[lang].format(**values)
        except KeyError as exc:
            raise LayoutError(f"{declared_in} needs slot {exc}") from None
    return Text(filled["zh"], filled["en"])


def field(name: str) -> Text:
    """What a field of the tidy tables is called ("economic_code" → 经济分类科目编码)."""
    entry = vocabulary()["field"].get(name)
    if entry is None:
        raise LayoutError(f"layouts/words.toml: field {name!r} has no words; declare [field.{name}]")
    return Text(entry["zh"], entry["en"])


def value(field_name: str, coded: object) -> Text:
    """A coded value in words (side "income" → 收入方); a value with no entry is the document's own."""
    entry = vocabulary().get("value", {}).get(field_name, {}).get(str(coded))
    return Text(entry["zh"], entry["en"]) if entry else quoted(coded)


def term(zh: str) -> Text:
    """A word the documents print, with its English from the glossary ("基本支出" → basic spending);
    a header path ("本年收入/政府性基金") is translated part by part; an unknown word stays Chinese."""
    zh = str(zh)
    terms = vocabulary()["term"]
    if zh in terms:
        return Text(zh, terms[zh])
    parts = zh.split("/")
    if len(parts) > 1 and all(p in terms for p in parts):
        return Text(zh, " / ".join(terms[p] for p in parts))
    return Text(zh, zh)


def known(zh: str) -> bool:
    """Whether the glossary gives the English of ``zh`` (whole, or every part of a header path)."""
    terms = vocabulary()["term"]
    return zh in terms or all(p in terms for p in str(zh).split("/"))


def quoted(words: object) -> Text:
    """A document's words between quotation marks, in English with the glossary's translation
    when it has one: “基本支出” / “basic spending” (“基本支出”)."""
    t = term(str(words))
    en = f"“{t.en}”" if t.en == t.zh else f"{t.en} (“{t.zh}”)"
    return Text(f"“{t.zh}”", en)


def join(texts: list[Text], how: str = "list") -> Text:
    """Texts joined by the phrase ``join_<how>`` (list: 、 / , ; plus: + ; and: ，/ , ; or: 或 / or)."""
    sep = say(f"join_{how}")
    out = EMPTY
    for i, t in enumerate(texts):
        out = out + (sep if i else EMPTY) + Text.same(t)
    return out


def lines(numbers: list[int], limit: int = 6) -> str:
    shown = ",".join(map(str, numbers[:limit]))
    return shown + ("…" if len(numbers) > limit else "")
