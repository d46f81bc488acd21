"""Structure findings: a table of the layout the document does not have, or prints over other
columns. One finding per table: the relations that need it are not evaluated, never failed."""

from ..tables import Extraction
from .records import MINOR, Check


def _finding(check_id: str, table: str, description: str, location: str) -> Check:
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
        if known is not None:
            where = f"第{known.line}行"
            description = f"表{spec.id} {spec.title_zh}：文件印有此表，但未能读取（{known.message}）"
        else:
            where = "全文"
            description = f"表{spec.id} {spec.title_zh}：文件中没有找到此表（未公开，或标题与布局不同）"
        rows.append(_finding(f"structure-missing/{spec.id}", spec.id, description, where))
    return rows
