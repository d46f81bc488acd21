"""Structure findings: a table of the layout the document does not have, or prints over other
columns. One finding per table: the relations that need it are not evaluated, never failed."""

from ..tables import Extraction
from ..words import Text, say
from .records import MINOR, Check


def _finding(check_id: str, table: str, description: Text, location: Text) -> Check:
    return Check(
        id=check_id,
        relation=check_id.split("/")[0],
        kind="structure",
        tables=[table],
        description=description,
        location=location,
        unit=None,
        holds=False,
        finding_severity=MINOR,
    )


def structure_checks(ex: Extraction) -> list[Check]:
    """A finding for every table of the layout that was not read, saying why."""
    rows = []
    reasons = {a.table: a for a in ex.anomalies if a.kind in ("unmatched_columns", "unparsed_table")}
    for spec in ex.missing:
        known = reasons.get(spec.id)
        table = say("table_titled", table=spec.id, title=spec.title_words)
        if known is not None:
            where = say("line_n", line=known.line)
            description = say("structure_unread", table=table, message=Text.same(known.message))
        else:
            where = say("whole_document")
            description = say("structure_missing", table=table)
        rows.append(_finding(f"structure-missing/{spec.id}", spec.id, description, where))
    return rows
