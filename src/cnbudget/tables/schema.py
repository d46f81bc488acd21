"""The schema of every tidy table: declared per layout, the same for every document of the layout.

``layouts/<name>/schema.toml`` lists, for each frame a layout's parsers write, its columns in order.
Types follow from the column and the spec, never from a document's data:

- an amount column (the spec's amount columns, ``amount``, ``amount_wanyuan``, the narrative's
  figures) is an exact decimal of 24 digits with 8 decimals, in every layout: it holds every figure
  as printed (tables print 2 decimals, Beijing from 2026 prints 6, a few cells print 3 or 5 where the
  table says 2), and the same column has the same type in every document; the printed precision of
  the table (``decimals`` in tables.toml) is stated in the data package;
- ``line``, ``page`` and ``item_level`` are integers;
- everything else (codes included: 063001 stays 063001) is a string.

A document writes exactly the declared columns, in order, a column it lacks typed and empty. A
column the schema does not declare (a printed column no spec names, ``extra_<n>``) is not dropped:
its cells go to ``extra_cells`` (frame, line, column, text). ``python -m cnbudget.tables.schema``
regenerates the files from every registered document (a reviewed change, like a spec).
"""

import tomllib
from functools import cache

import pandas as pd
import pyarrow as pa

from ..errors import CnbudgetError
from ..layouts import Layout, TableSpec
from ..resources import packaged

INTEGERS = ("line", "page", "item_level", "compared_year", "number")
FIGURES = ("value", "of_amount")  # narrative figures: decimals as stated (8 places hold any of them)
PRECISION = 24  # digits in all: up to 10^15 yuan with 8 decimals, or 10^17 with 6
DECIMALS = 8


KEYS = (["line"], ["line", "side"])  # the row keys a frame may declare: its printed line (and side)


@cache
def _schema_file(layout_name: str) -> dict:
    node = packaged("layouts", layout_name, "schema.toml")
    return tomllib.loads(node.read_text(encoding="utf-8")).get("frames", {}) if node.is_file() else {}


def declared(layout_name: str) -> dict[str, list[str]]:
    """frame name -> columns, from ``layouts/<name>/schema.toml`` (empty for a layout without one)."""
    return {name: list(entry["columns"]) for name, entry in _schema_file(layout_name).items()}


def declared_key(layout_name: str, frame_name: str) -> list[str] | None:
    """The columns that identify a row of the frame, where the layout declares them (a side-by-side
    table prints two records on one line: it declares none)."""
    key = _schema_file(layout_name).get(frame_name, {}).get("key")
    return list(key) if key else None


def kind(spec: TableSpec | None, column: str) -> str:
    """``amount``, ``amount_wanyuan`` (8 decimals; also the narrative's figures), ``integer`` or ``string``."""
    if column == "amount_wanyuan" or (spec is None and column in FIGURES):
        return "amount_wanyuan"
    if column == "amount" or (spec is not None and column in spec.amount_columns):
        return "amount"
    return "integer" if column in INTEGERS else "string"


def arrow_type(column_kind: str) -> pa.DataType:
    if column_kind in ("amount", "amount_wanyuan"):
        return pa.decimal128(PRECISION, DECIMALS)
    return pa.int64() if column_kind == "integer" else pa.string()


def frictionless_type(column_kind: str) -> str:
    return {"amount": "number", "amount_wanyuan": "number", "integer": "integer"}.get(column_kind, "string")


def columns_of(layout: Layout, frame_name: str, frame: pd.DataFrame) -> list[str]:
    """The frame's declared columns; a frame of a layout without a schema (the generic reader
    infers a spec per document) keeps its own."""
    return declared(layout.name).get(frame_name) or list(frame.columns)


def missing(value) -> bool:
    """Nothing in the cell: None, pandas' NA, or the NaN pandas puts in an empty float column."""
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def text_or_none(value) -> str | None:
    """A cell as text, or None when nothing is in it (``missing``)."""
    return None if missing(value) else str(value)


def _cell(value, column_kind: str):
    if missing(value):
        return None
    if column_kind in ("amount", "amount_wanyuan"):
        return value  # Decimal (a float never reaches an amount column)
    if column_kind == "integer":
        return int(value)
    return ";".join(map(str, value)) if isinstance(value, list) else str(value)


def typed(layout: Layout, spec: TableSpec | None, frame_name: str, frame: pd.DataFrame):
    """(frame reindexed to the schema with Python values, its Arrow schema, extra cells as records).
    ``spec`` None: a frame of the whole document (amounts, narrative figures, glossary, anomalies),
    whose columns are fixed by the code that builds it."""
    columns = columns_of(layout, frame_name, frame) if spec is not None else list(frame.columns)
    kinds = {c: kind(spec, c) for c in columns}
    extras = []
    for column in (c for c in frame.columns if c not in kinds):
        for line, value in zip(frame.get("line", pd.Series([None] * len(frame))), frame[column], strict=True):
            if not missing(value) and str(value) != "":
                cell = {"frame": frame_name, "line": _cell(line, "integer"), "column": column, "text": str(value)}
                extras.append(cell)
    out = pd.DataFrame(  # object columns: an integer stays an integer, a missing value stays None
        {
            c: pd.Series(
                [_cell(v, kinds[c]) for v in frame[c]] if c in frame.columns else [None] * len(frame),
                dtype=object,
                index=range(len(frame)),
            )  # fmt: skip
            for c in columns
        },
        columns=columns,
    )
    schema = pa.schema([(c, arrow_type(kinds[c])) for c in columns])
    return out, schema, extras


def to_arrow(frame: pd.DataFrame, schema: pa.Schema) -> pa.Table:
    """The frame as an Arrow table of exactly ``schema`` (no pandas metadata: readers get these types)."""
    arrays = []
    for f in schema:
        try:
            arrays.append(pa.array([None if missing(v) else v for v in frame[f.name].tolist()], type=f.type))
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise CnbudgetError(f"column {f.name} does not fit its declared type {f.type}: {exc}") from None
    return pa.Table.from_arrays(arrays, schema=schema)


def generate(documents) -> dict[str, dict[str, list[str]]]:
    """layout -> frame -> columns: the union, in order of first appearance, over the documents."""
    from .extract import extract

    found: dict[str, dict[str, dict]] = {}
    for files in documents:
        ex = extract(files)
        for name, frame in ex.frames.items():
            entry = found.setdefault(ex.layout.name, {}).setdefault(name, {"columns": [], "keys": list(KEYS)})
            entry["columns"].extend(
                c for c in frame.columns if c not in entry["columns"] and not c.startswith("extra_")
            )
            entry["keys"] = [k for k in entry["keys"] if _identifies(frame, k)]
    return found


def _identifies(frame: pd.DataFrame, key: list[str]) -> bool:
    if not set(key) <= set(frame.columns):
        return False
    return not frame[key].isna().any().any() and not frame.duplicated(subset=key).any()


def _write(layout_name: str, frames: dict[str, dict]) -> None:
    from ..resources import find_project

    root = find_project().root / "src" / "cnbudget" / "layouts" / layout_name
    lines = [
        f"# Columns of every frame of layout {layout_name}, in order (see cnbudget.tables.schema for the types).",
        "# Generated by `python -m cnbudget.tables.schema` from the registered documents; reviewed like a spec.",
        "",
    ]
    for name in sorted(frames):
        entry = frames[name]
        lines += [f"[frames.{name}]", "columns = [" + ", ".join(f'"{c}"' for c in entry["columns"]) + "]"]
        if entry["keys"]:  # the first candidate that identifies every row of every registered document
            lines.append("key = [" + ", ".join(f'"{c}"' for c in entry["keys"][0]) + "]")
        lines.append("")
    (root / "schema.toml").write_text("\n".join(lines), encoding="utf-8")


def _disclosures(folder) -> list:
    """The registered files under a folder, one disclosure per folder (as ``cnbudget batch`` groups them)."""
    from ..sources import find_registered

    groups: dict = {}
    for path in find_registered(folder):
        groups.setdefault(path.parent, []).append(path)
    return [files if len(files) > 1 else files[0] for _, files in sorted(groups.items())]


if __name__ == "__main__":
    from ..resources import find_project

    project = find_project()
    docs = _disclosures(project.raw) + _disclosures(project.root / "data" / "references")
    for layout_name, frames in generate(docs).items():
        _write(layout_name, frames)
        print(layout_name, len(frames), "frames")
