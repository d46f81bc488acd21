"""Which layout a document follows: decided from its tables, never guessed.

A table of a layout is found when a section's *whole* title (once its label, year, department
and owner words such as 部门/单位/预算单位 are removed) is that table's title, and the
section's header rows print the words the table's columns need. Every layout is scored; one
applies only when it finds at least half of its tables, and at most one in four of them is
contradicted by a section that carries its title over other columns. When none fits, or two fit
equally, detection stops with a message that says, for each layout, which tables and columns
matched and which did not.
"""

import math
import re
from dataclasses import dataclass, field

from ..errors import LayoutError
from ..textnorm import norm
from .spec import Layout, TableSpec, available_layouts, load_layout

LABEL_PREFIX = re.compile(
    r"^(?:(?:公开|预算)\d{1,2}表|(?:公开|预算)表(?:[一二三四五六七八九十]{1,3}|\d{1,2})|附?表\d{1,2}"
    r"|[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十\d]{1,3}\)|\d{1,2}[.、](?!\d))[:：.、]?"
)
YEAR = re.compile(r"(?:19|20)\d{2}年度?")
OWNER = re.compile(r"^(?:(?:省|市|区|县)级)?(?:部门\(单位\)|预算单位|部门|单位)")
HEADER_ROWS = 6  # header words are looked for in a section's first rows
MIN_SHARE = 0.5  # a layout applies when it finds at least half of its tables


def core_title(title: str, owners: list[str] = ()) -> str:
    """A table's title without label, year, department and owner words ("2024年部门（单位）收支总表",
    "公开01表 收支预算总表", "表1:2026年市级部门收支预算总表" -> 收支总表 / 收支预算总表)."""
    key = norm(title)
    while (m := LABEL_PREFIX.match(key)) and m.end():
        key = key[m.end() :]
    key = YEAR.sub("", key)
    for owner in sorted({norm(o) for o in owners if o}, key=len, reverse=True):
        if len(owner) >= 2:
            key = key.replace(owner, "")
    while (m := OWNER.match(key)) and len(key) > m.end():
        key = key[m.end() :]
    return key


def owners_of(titles: list[str], names: list[str]) -> list[str]:
    """Names a document puts before its table titles: its department (from the sidecar, the
    headings, the cover) and a prefix every title shares ("江苏省高级人民法院部门")."""
    found = [n for n in names if n]
    cores = [YEAR.sub("", LABEL_PREFIX.sub("", norm(t))) for t in titles]
    if len(cores) >= 3:
        prefix = cores[0]
        for c in cores[1:]:
            while not c.startswith(prefix):
                prefix = prefix[:-1]
        if len(prefix) >= 4:
            found.append(prefix)
    return found


def header_text(rows) -> str:
    """The normalised text of a section's first rows, where its column headings are printed."""
    return "|".join(norm(c) for row in rows[:HEADER_ROWS] for c in row.cells if norm(c))


@dataclass
class TableFit:
    """How one table of a layout fits a document."""

    spec: TableSpec
    section: object | None = None  # the section that is this table
    titled: list = field(default_factory=list)  # sections with its title (whatever their columns)
    missing_words: list[str] = field(default_factory=list)  # header words not printed (best titled section)


@dataclass
class LayoutFit:
    layout: Layout
    tables: list[TableFit]

    @property
    def found(self) -> list[TableFit]:
        return [t for t in self.tables if t.section is not None]

    @property
    def conflicts(self) -> list[TableFit]:
        """Tables whose title is printed over other columns: the document is something else."""
        return [t for t in self.tables if t.titled and t.section is None]

    @property
    def fits(self) -> bool:
        """Enough of its tables found, and at most one in four of them contradicted by a table that
        carries its title over other columns (that one is then reported, never read)."""
        n = len(self.layout.tables)
        return len(self.found) >= max(2, math.ceil(MIN_SHARE * n)) and 4 * len(self.conflicts) <= len(self.found)

    @property
    def score(self) -> int:
        return len(self.found) - 2 * len(self.conflicts)

    def explain(self) -> str:
        found = ", ".join(f"{t.spec.id} {t.spec.title_zh}" for t in self.found) or "none"
        parts = [f"{self.layout.name}: {len(self.found)} of {len(self.layout.tables)} tables found ({found})"]
        for t in self.conflicts:
            parts.append(f"{t.spec.id} {t.spec.title_zh} is printed but its header lacks {', '.join(t.missing_words)}")
        absent = [f"{t.spec.id} {t.spec.title_zh}" for t in self.tables if not t.titled]
        if absent:
            parts.append(f"not printed: {', '.join(absent)}")
        return "; ".join(parts)


def fit_layout(layout: Layout, sections: list, owners: list[str]) -> LayoutFit:
    """Match each table of ``layout`` to the document's sections, by whole title and header words."""
    fits = []
    taken: set[int] = set()
    for spec in layout.tables:
        fit = TableFit(spec)
        for k, section in enumerate(sections):
            if k in taken or not spec.title.fullmatch(core_title(section.title, owners)):
                continue
            fit.titled.append(section)
            text = header_text(section.rows)
            missing = [w for w in spec.header_words if not any(norm(alt) in text for alt in w.split("|"))]
            if not missing:
                fit.section, fit.missing_words = section, []
                taken.add(k)
                break
            if not fit.missing_words or len(missing) < len(fit.missing_words):
                fit.missing_words = missing
        fits.append(fit)
    return LayoutFit(layout, fits)


def detect_layout(sections: list, owners: list[str], forced: str | None = None) -> LayoutFit:
    """The layout the document follows (or ``forced``), with the section found for each table."""
    if forced:
        return fit_layout(load_layout(forced), sections, owners)
    candidates = [fit_layout(load_layout(name), sections, owners) for name in available_layouts()]
    fitting = sorted((c for c in candidates if c.fits), key=lambda c: c.score, reverse=True)
    if fitting and (len(fitting) == 1 or fitting[0].score > fitting[1].score):
        return fitting[0]
    titles = "; ".join(s.title for s in sections) if sections else "no table titles at all"
    if fitting:
        tied = ", ".join(c.layout.name for c in fitting if c.score == fitting[0].score)
        reason = f"several layouts fit equally ({tied}); choose one with --layout"
    else:
        reason = "no known layout fits this document"
    report = " | ".join(c.explain() for c in candidates)
    raise LayoutError(
        f"{reason}. Tables found: {titles}. By layout: {report}. "
        "Read it with --layout generic for a first, layout-free reading, or see README, 'Adding a layout'."
    )
