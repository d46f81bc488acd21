"""great-expectations on the tidy tables themselves, from each table's declared schema.

The relation suites judge reconciliation rows the engine computed; these suites look at the tables as
written: every code column in its format (a functional item 7 digits, a category 5, a class 3; an
economic class 3; an economic code 3, 5 or 7), and a declared row key (``layouts/<name>/schema.toml``)
present and unique. Each rule is a ``data_quality`` check whose verdict comes from GX alone; the
suites are built at run time from the schema and show in the Data Docs as ``cnbudget_table_<frame>``.
"""

from dataclasses import dataclass

import pandas as pd

from ..tables import Extraction
from ..tables.schema import declared, declared_key
from ..words import field, join, say
from .records import MINOR, Check

CODE_FORMATS = {
    "function_class_code": (r"^\d{3}$", "3"),
    "function_category_code": (r"^\d{5}$", "5"),
    "function_item_code": (r"^\d{7}$", "7"),
    "function_code": (r"^(\d{3}|\d{5}|\d{7})$", "3/5/7"),
    "economic_class_code": (r"^\d{3}$", "3"),
    "economic_code": (r"^(\d{3}|\d{5}|\d{7})$", "3/5/7"),
    "gov_economic_code": (r"^(\d{3}|\d{5})$", "3/5"),
}
RELATION = "dq-table"


@dataclass
class TableSuite:
    """One frame's suite: the columns GX needs (with ``id``, the row's line) and its rules."""

    name: str  # t<table>_<frame>
    frame: pd.DataFrame
    rules: list[dict]  # {"check": id, "type": "regex"|"not_null"|"unique", "column"|"columns", "regex"}


def table_suites(ex: Extraction) -> tuple[list[TableSuite], list[Check]]:
    """The suites of every frame with a declared schema, and one check per rule (verdict pending)."""
    if not declared(ex.layout.name):
        return [], []  # the generic reader: no declared schema, nothing declared to check
    suites, checks = [], []
    for frame_name, frame in ex.frames.items():
        table = ex.frame_tables[frame_name]
        name = f"t{table}_{frame_name}"
        title = say("table_titled", table=table, title=ex.layout.table(table).title_words)
        rules = []
        for column, (regex, digits) in CODE_FORMATS.items():
            if column in frame.columns and frame[column].notna().any():
                check_id = f"{RELATION}/{name}/{column}"
                rules.append({"check": check_id, "type": "regex", "column": column, "regex": regex})
                desc = say("dq_code_format", table=title, what=field(column), digits=digits)
                checks.append(_check(check_id, table, desc))
        key = declared_key(ex.layout.name, frame_name)
        if key and set(key) <= set(frame.columns) and len(frame):
            check_id = f"{RELATION}/{name}/key"
            rules += [{"check": check_id, "type": "not_null", "column": c} for c in key]
            rules.append({"check": check_id, "type": "unique", "columns": key})
            desc = say("dq_row_key", table=title, what=join([field(c) for c in key]))
            checks.append(_check(check_id, table, desc))
        if rules:
            columns = sorted({c for r in rules for c in ([r["column"]] if "column" in r else r["columns"])})
            data = frame[columns].astype(object).where(frame[columns].notna(), None)
            data.insert(0, "id", [f"{name}/{line}" for line in frame.get("line", range(len(frame)))])
            suites.append(TableSuite(name, data, rules))
    return suites, checks


def _check(check_id: str, table: str, description) -> Check:
    return Check(
        id=check_id,
        relation=RELATION,
        kind="data_quality",
        tables=[table],
        description=description,
        location=say("table", table=table),
        unit=None,
        holds=None,  # decided by great-expectations on the table
        finding_severity=MINOR,
    )
