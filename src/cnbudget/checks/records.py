"""The check record: one relation instance (or one data-quality finding), and its verdict.

Severity names and the meaning of "failed and material" are defined here, once.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from ..words import EMPTY, Text

# status: a check holds, fails, or could not be evaluated because the extraction did not
# produce one of its figures (a missing table, row or column): then it has no severity
PASS, FAIL, NOT_EVALUATED = "pass", "fail", "not_evaluated"
# severity: material (beyond the rounding allowance, or a finding that touches an amount or a
# code), minor (a finding that changes no amount), rounding (within the allowance, not exact)
MATERIAL, MINOR, ROUNDING, NONE = "material", "minor", "rounding", "none"
# a disagreement explained by another finding (a malformed cell): shown under it, not counted apart
LINKED = "linked"
# a finding that fits a narrower reading the document itself supports: said, not counted as an error
NOTE = "note"
# kinds whose checks are findings that hold or not (no two figures compared)
FINDING_KINDS = ("data_quality", "structure")


@dataclass
class Ref:
    """What a check row belongs to: a relation of the catalogue, a narrative figure, a stated change."""

    id: str
    kind: str
    unit: str = "万元"


@dataclass
class Check:
    """One check: two figures compared (left, right, allowance), or a finding that holds or not."""

    id: str
    relation: str
    kind: str
    tables: list[str]
    description: Text  # what must hold, in words (both languages)
    location: Text  # where the figures are printed
    left: Decimal | None = None
    right: Decimal | None = None
    allowance: Decimal | None = None
    unit: str | None = "万元"
    left_label: Text = EMPTY
    right_label: Text = EMPTY
    left_lines: list[int] = field(default_factory=list)
    right_lines: list[int] = field(default_factory=list)
    left_cells: list[tuple] = field(default_factory=list)  # the printed cells of each side (checks.figures.Figure)
    right_cells: list[tuple] = field(default_factory=list)
    missing: Text | None = None  # why a side has no value (a missing table, row or column)
    names: dict | None = None  # project matching: the names paired in each table
    holds: bool | None = None  # data quality: computed; numeric checks: from the verdict
    finding_severity: str | None = None  # data quality: the severity when the finding does not hold
    detail: list[Text] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)  # PDF crops: {page, bbox, image}
    caused_by: str | None = None  # the finding (a malformed cell) this disagreement comes from
    note: Text | None = None  # the narrower reading the document supports, when the figures fit it
    previous: Decimal | None = None  # year over year: the figure in each year
    current: Decimal | None = None
    status: str | None = None
    severity: str | None = None

    @property
    def difference(self) -> Decimal | None:
        return self.left - self.right if self.left is not None and self.right is not None else None

    @property
    def numeric(self) -> bool:
        return self.kind not in FINDING_KINDS

    @property
    def evaluable(self) -> bool:
        """A numeric check is evaluated only when both of its figures were read."""
        return not self.numeric or (self.left is not None and self.right is not None)

    def public(self) -> dict:
        """The record as written to checks.json (amounts as numbers, optional keys only when set;
        every text in Chinese and, under the same key with ``_en``, in English)."""
        out = {
            "id": self.id,
            "relation": self.relation,
            "kind": self.kind,
            "tables": self.tables,
            "description": Text.same(self.description).zh,
            "description_en": Text.same(self.description).en,
            "left": _num(self.left),
            "right": _num(self.right),
            "difference": _num(self.difference),
            "allowance": _num(self.allowance),
            "unit": self.unit or None,
            "severity": self.severity,
            "status": self.status,
            "location": Text.same(self.location).zh,
            "location_en": Text.same(self.location).en,
        }
        for extra in ("left_label", "right_label", "missing"):
            if getattr(self, extra):
                text = Text.same(getattr(self, extra))
                out[extra], out[f"{extra}_en"] = text.zh, text.en
        if self.detail:
            details = [Text.same(d) for d in self.detail]
            out["detail"], out["detail_en"] = [d.zh for d in details], [d.en for d in details]
        for extra in ("pages", "evidence", "caused_by"):
            if getattr(self, extra):
                out[extra] = getattr(self, extra)
        return out


def _num(value):
    return float(value) if isinstance(value, Decimal) else value


def is_material_failure(check: dict | Check) -> bool:
    """A failed check whose severity is material: what the headline, --strict and the index count."""
    status = check["status"] if isinstance(check, dict) else check.status
    severity = check["severity"] if isinstance(check, dict) else check.severity
    return status == FAIL and severity == MATERIAL


def finding(
    check_id: str,
    tables: list[str],
    description: Text,
    holds: bool | None,
    severity: str,
    location: Text,
    detail: list | None = None,
    kind: str = "data_quality",
) -> Check:
    """A check that is a finding rather than two figures compared (no unit): ``holds`` is computed,
    or ``None`` when great-expectations decides it; ``severity`` is the one it has when it does not
    hold; its relation is the first part of its id (``dq-placeholder/narrative``: ``dq-placeholder``)."""
    return Check(
        id=check_id,
        relation=check_id.split("/")[0],
        kind=kind,
        tables=tables,
        description=description,
        location=location,
        unit=None,
        holds=holds,
        finding_severity=severity,
        detail=detail or [],
    )
