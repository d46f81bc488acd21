"""great-expectations on the tidy tables themselves, from each table's declared schema.

The relation suites judge reconciliation rows the engine computed; this suite looks at the tables as
written (all of a document's tables in one long frame, one validation): every code column in its
format (a functional item 7 digits, a category 5, a class 3; an economic class 3; an economic code
3, 5 or 7), and a declared row key (``layouts/<name>/schema.toml``) present and unique. Each rule is
a ``data_quality`` check whose verdict comes from GX alone; the suite is built at run time from the
schema and shows in the Data Docs as ``cnbudget_table_tidy``.
"""

from dataclasses import dataclass

import pandas as pd

from ..tables import Extraction
from ..tables.schema import declared, declared_key, text_or_none
from ..words import field, join, say
from .records import MINOR, Check, finding

CODE_FORMATS = {
    "function_class_code": (r"^\d{3}$", "3"),
    "function_category_code": (r"^\d{5}$", "5"),
    "function_item_code": (r"^\d{7}$", "7"),
    "function_code": (r"^(\d{3}|\d{5}|\d{7})$", "3/5/7"),
    "economic_class_code": (r"^\d{3}$", "3"),
    "economic_code": (r"^(\d{3}|\d{5}|\d{7})$", "3/5/7"),
    "gov_economic_code": (r"^(\d{3}|\d{5})$", "3/5"),
}
# one relation per rule, so that the report's list of passed checks groups alike checks under one wording
CODE_RELATION = "dq-code-format-{column}"  # check id: dq-code-format-<column>/<frame>
KEY_RELATION = "dq-row-key-{key}"  # check id: dq-row-key-<key columns>/<frame>, e.g. dq-row-key-line-side/…
RELATIONS = ("dq-code-format-", "dq-row-key-")


@dataclass
class TableSuite:
    """The tidy tables as GX sees them: one long frame (a row per printed row of every table, ``id``
    = ``<frame>/<line>``, the code columns, ``row_key``) and its rules — one validation per document."""

    name: str
    frame: pd.DataFrame
    rules: list[dict]  # {"rule": "code:<column>"|"key", "type": "regex"|"not_null"|"unique", "column", "regex"}
    key_relations: dict[str, str]  # frame -> the relation of its row key


def table_suites(ex: Extraction) -> tuple[list[TableSuite], list[Check]]:
    """The suite of the tidy tables of a layout with a declared schema, and one check per frame and
    rule (verdict pending)."""
    if not declared(ex.layout.name):
        return [], []  # the generic reader: no declared schema, nothing declared to check
    records, checks, codes, key_relations = [], [], [], {}
    for frame_name, frame in ex.frames.items():
        table = ex.frame_tables[frame_name]
        name = ex.written_name(frame_name)
        title = say("table_titled", table=table, title=ex.layout.table(table).title_words)
        where = say("table", table=table)  # holds: None, decided by great-expectations on the table
        checked = [c for c in CODE_FORMATS if c in frame.columns and frame[c].notna().any()]
        for column in checked:
            desc = say("dq_code_format", table=title, what=field(column), digits=CODE_FORMATS[column][1])
            checks.append(finding(f"{CODE_RELATION.format(column=column)}/{name}", [table], desc, None, MINOR, where))
        codes += [c for c in checked if c not in codes]
        key = declared_key(ex.layout.name, frame_name)
        keyed = bool(key) and set(key) <= set(frame.columns) and len(frame) > 0
        if keyed:
            desc = say("dq_row_key", table=title, what=join([field(c) for c in key]))
            key_relations[name] = KEY_RELATION.format(key="-".join(key))
            checks.append(finding(f"{key_relations[name]}/{name}", [table], desc, None, MINOR, where))
        if not checked and not keyed:
            continue
        for i, row in enumerate(frame.to_dict("records")):
            record = {"id": f"{name}/{row.get('line', i)}"}
            record.update({c: text_or_none(row.get(c)) for c in checked})
            parts = [text_or_none(row.get(c)) for c in key] if keyed else None
            # a frame without a declared key gets a row key of its own, unique and present
            record["row_key"] = (None if None in parts else "|".join([name, *parts])) if keyed else f"{name}|#{i}"
            records.append(record)
    if not records:
        return [], checks
    frame = pd.DataFrame.from_records(records, columns=["id", *codes, "row_key"]).astype(object)
    frame = frame.where(frame.notna(), None)
    rules = [{"rule": f"code:{c}", "type": "regex", "column": c, "regex": CODE_FORMATS[c][0]} for c in codes]
    rules += [
        {"rule": "key", "type": "not_null", "column": "row_key"},
        {"rule": "key", "type": "unique", "column": "row_key"},
    ]
    return [TableSuite("tidy", frame, rules, key_relations)], checks


def failing_checks(failing_rules: dict[str, list], suites: list[TableSuite]) -> dict[str, list]:
    """GX's failing rows by rule (``code:<column>``, ``key``) -> check id -> ids of the rows."""
    key_relations = {frame: relation for suite in suites for frame, relation in suite.key_relations.items()}
    found: dict[str, list] = {}
    for rule, ids in failing_rules.items():
        for row_id in ids:
            frame = row_id.rsplit("/", 1)[0]
            if rule.startswith("code:"):
                relation = CODE_RELATION.format(column=rule.split(":", 1)[1])
            else:
                relation = key_relations[frame]
            found.setdefault(f"{relation}/{frame}", []).append(row_id)
    return found
