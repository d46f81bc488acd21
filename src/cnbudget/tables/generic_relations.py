"""The relations that hold in any budget table, written for the tables the generic reader found.

A relation is written only where what is printed leaves no doubt about what it means, because a
false alarm is worse than a missed check:

- **合计 = Σ top-level rows**: a table with one classification, one 合计 row, and every detail row
  coded, each under a printed top-level code (the shortest codes of the table);
- **类 = Σ款, 款 = Σ项**: every parent code printed with its children, in a table with one
  classification (a table printing two classifications crosses them: its rows are not a tree);
- **the same code, the same amount**: two tables of the same classification, in columns with the
  same header, whose 合计 rows are equal (then the two columns state the same measure);
- **收入总计 = 支出总计**: a table that prints both (or 收入合计 and 支出合计, where no 总计 is printed).
"""

from decimal import Decimal
from itertools import combinations

import pandas as pd

from ..layouts import TableSpec
from ..layouts.generic import GenericWords
from ..layouts.relations import ColumnSumsRelation, EqualRelation, GroupEqualRelation, RelationsSpec
from ..layouts.selectors import Selector
from ..money import to_wanyuan
from ..textnorm import norm
from ..words import Text, fill, quoted, say
from .generic import code_classifications


def _tree(spec: TableSpec, frame: pd.DataFrame, words: GenericWords) -> tuple[str, list[int]] | None:
    """(classification, code lengths) of a table whose rows form one classification's tree: one
    column of function or economic codes (or the parts of one code), every code printed with one of
    its levels' lengths. Other codes (a unit's, a project's) only group the rows and change no sum;
    two classifications cross each other, and their rows are no tree."""
    known = {c.name: c for c in words.classification}
    classes = [c for c in code_classifications(spec) if c in known]
    if len(classes) != 1 or frame.empty:
        return None
    cls = classes[0]
    if sum(c.kind in ("code", "code_name") and c.code == cls for c in spec.columns) > 1:
        return None
    codes = frame.get(f"{cls}_code")
    if codes is None:
        return None
    printed = [c for c in codes if isinstance(c, str)]
    if not printed or not all(c.isdigit() and len(c) in known[cls].lengths for c in printed):
        return None
    return cls, sorted({len(c) for c in printed})


def _title(spec: TableSpec) -> Text:
    return say("table_titled", table=spec.id, title=quoted(spec.title_zh))


def _say(words: GenericWords, check: str, **slots) -> tuple[str, str]:
    """(description, description_en) of a generic check, from the words of generic/words.toml."""
    templates = {"zh": getattr(words.checks, check), "en": getattr(words.checks_en, check)}
    said = fill(templates, f"layouts/generic/words.toml: check {check!r}", **slots)
    return said.zh, said.en


def _total_row(frame: pd.DataFrame) -> pd.Series | None:
    totals = frame[frame["row_type"] == "total"] if "row_type" in frame.columns else frame.iloc[0:0]
    return totals.iloc[0] if len(totals) == 1 else None


def _column_total(spec: TableSpec, frame: pd.DataFrame, cls: str, lengths: list[int], words: GenericWords):
    """合计 against the top-level rows, when every detail row is coded under a printed top-level code."""
    detail = frame[frame["row_type"] == "detail"]
    codes = detail[f"{cls}_code"]
    top = lengths[0]
    tops = {c for c in codes if isinstance(c, str) and len(c) == top}
    if _total_row(frame) is None or not all(isinstance(c, str) and c[:top] in tops for c in codes):
        return []
    level = Text(words.levels.get(top, ""), words.levels_en.get(top, ""))
    description, description_en = _say(words, "column_total", table=_title(spec), level=level)
    return [
        ColumnSumsRelation(
            id=f"{spec.id}-total",
            kind="within_table",
            type="column_sums",
            description=description,
            description_en=description_en,
            table=spec.id,
            detail_where={f"{cls}_code": {"length": top}},
        )
    ]


def _hierarchy(spec: TableSpec, frame: pd.DataFrame, cls: str, lengths: list[int], words: GenericWords):
    """Each parent code against the sum of its children, column by column (parents with children only)."""
    out = []
    named = words.classification_named(cls)
    label = Text(named.label, named.label_en)
    for parent, child in zip(lengths, lengths[1:], strict=False):
        description, description_en = _say(
            words,
            "hierarchy",
            table=_title(spec),
            classification=label,
            parent=Text(words.levels[parent], words.levels_en[parent]),
            child=Text(words.levels[child], words.levels_en[child]),
        )
        for column in spec.columns:
            if column.kind != "amount":
                continue
            side = {"table": spec.id, "column": column.name}
            if f"{cls}_name" in frame.columns:
                side["label"] = f"{cls}_name"
            out.append(
                GroupEqualRelation(
                    id=f"{spec.id}-{cls}-{parent}-{child}/{column.name}",
                    kind="hierarchy",
                    type="group_equal",
                    description=f"{description}（{column.label}）",
                    description_en=f"{description_en} ({quoted(column.label).en})",
                    left=Selector(**side, where={f"{cls}_code": {"length": parent}}, key=f"{cls}_code"),
                    right=Selector(**side, where={f"{cls}_code": {"length": child}}, key=f"{cls}_code_{parent}"),
                    common_keys_only=True,
                )
            )
    return out


def _total(frame: pd.DataFrame, column: str, unit: str) -> Decimal | None:
    row = _total_row(frame)
    value = row.get(column) if row is not None else None
    return to_wanyuan(Decimal(value), unit) if isinstance(value, Decimal) and value != 0 else None


def _same_code(tables: list, units: dict[str, str], words: GenericWords):
    """Two tables of one classification, columns with one header and one 合计: code by code."""
    out = []
    for (a, fa, cls_a), (b, fb, cls_b) in combinations(tables, 2):
        if cls_a != cls_b:
            continue
        named = words.classification_named(cls_a)
        label = Text(named.label, named.label_en)
        for ca in (c for c in a.columns if c.kind == "amount"):
            for cb in (c for c in b.columns if c.kind == "amount"):
                total = _total(fa, ca.name, units[a.id])
                if norm(ca.label.split("/")[-1]) != norm(cb.label.split("/")[-1]) or total is None:
                    continue
                if total != _total(fb, cb.name, units[b.id]):
                    continue
                description, description_en = _say(
                    words, "same_code", table=_title(a), other=_title(b), classification=label
                )
                out.append(
                    GroupEqualRelation(
                        id=f"{a.id}-vs-{b.id}/{ca.name}-{cb.name}",
                        kind="cross_table",
                        type="group_equal",
                        description=f"{description}（{ca.label}）",
                        description_en=f"{description_en} ({quoted(ca.label).en})",
                        left=Selector(table=a.id, column=ca.name, key=f"{cls_a}_code", **_named(fa, cls_a)),
                        right=Selector(table=b.id, column=cb.name, key=f"{cls_a}_code", **_named(fb, cls_a)),
                        common_keys_only=True,
                    )
                )
    return out


def _named(frame: pd.DataFrame, cls: str) -> dict:
    """The column that names a code, where the table prints one."""
    return {"label": f"{cls}_name"} if f"{cls}_name" in frame.columns else {}


def _printed_once(spec: TableSpec, frame: pd.DataFrame, text: str) -> tuple[str, str] | None:
    """(label column, amount column) of the one label cell that prints ``text`` and the first amount
    printed to its right in that row; None when it is printed nowhere, more than once, or with no
    amount beside it (a blank cell is not a figure)."""
    found = [
        (c.name, index)
        for c in spec.columns
        if c.kind == "label" and f"{c.name}_key" in frame.columns
        for index, value in frame[f"{c.name}_key"].items()
        if value == norm(text)
    ]
    if len(found) != 1:
        return None
    label, index = found[0]
    names = [c.name for c in spec.columns]
    right = [c.name for c in spec.columns[names.index(label) + 1 :] if c.kind == "amount"]
    amount = next((c for c in right if isinstance(frame.at[index, c], Decimal)), None)
    return (label, amount) if amount else None


def _balance(spec: TableSpec, frame: pd.DataFrame, words: GenericWords):
    """收入总计 against 支出总计 (the first pair of labels the table prints, each once)."""
    for income, expenditure in words.balance.pairs:
        sides = [(text, _printed_once(spec, frame, text)) for text in (income, expenditure)]
        if all(found for _, found in sides):
            figures = tuple(
                Selector(table=spec.id, column=amount, row="any", where={f"{label}_key": norm(text)})
                for text, (label, amount) in sides
            )
            description, description_en = _say(
                words, "balance", table=_title(spec), income=quoted(income), expenditure=quoted(expenditure)
            )
            return [
                EqualRelation(
                    id=f"{spec.id}-balance",
                    kind="within_table",
                    type="equal",
                    description=description,
                    description_en=description_en,
                    figures=figures,
                )
            ]
    return []


def generic_relations(
    specs: list[TableSpec], frames: dict[str, pd.DataFrame], units: dict[str, str], words: GenericWords
) -> RelationsSpec:
    """Every layout-free relation the tables that were read support."""
    relations, trees = [], []
    for spec in specs:
        frame = frames.get(spec.key)
        if frame is None or frame.empty:
            continue
        relations.extend(_balance(spec, frame, words))
        tree = _tree(spec, frame, words)
        if tree is None:
            continue
        cls, lengths = tree
        relations.extend(_column_total(spec, frame, cls, lengths, words))
        relations.extend(_hierarchy(spec, frame, cls, lengths, words))
        trees.append((spec, frame, cls))
    relations.extend(_same_code(trees, units, words))
    return RelationsSpec(relation=tuple(relations))
