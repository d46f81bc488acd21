"""Structure findings: a table of the layout the document does not have, or prints over other
columns. One finding per table: the relations that need it are not evaluated, never failed."""

from ..tables import Extraction
from ..words import Text, say
from .records import MINOR, Check, finding


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
        check_id = f"structure-missing/{spec.id}"
        rows.append(finding(check_id, [spec.id], description, False, MINOR, where, kind="structure"))
    return rows
