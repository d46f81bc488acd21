"""Processed outputs: one CSV and one Parquet per tidy table, and a Frictionless datapackage.json."""

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .. import __version__
from .extract import Extraction, extraction_warnings
from .schema import declared_key, frictionless_type, kind, to_arrow, typed

# Descriptions of the columns every layout shares; amount columns take their label from the spec.
FIELD_DOCS = {
    "table": "表号 (table number as printed, e.g. 03)",
    "line": "source line number (1-based) of the printed row",
    "row_type": "detail, or total for a 合计 row",
    "side": "income (收入) or expenditure (支出) side of a two-sided summary table",
    "item": "item label as printed (原文)",
    "item_key": "item label normalised for matching (ordinal prefix removed, NFKC, no spaces)",
    "function_class_code": "功能分类 类 (3-digit functional class)",
    "function_category_code": "功能分类 款 (5-digit functional category)",
    "function_item_code": "功能分类 项 (7-digit functional item)",
    "raw": "cell text as printed",
    "status": "value, blank (empty cell: zero by omission), nil (a dash printed for nothing: zero by omission), "
    "placeholder (a template's XX or …: nothing filled in) or invalid (not a number; see anomalies)",
    "amount": "amount in the stated unit",
    "unit": "stated money unit of the table",
    "amount_wanyuan": "amount normalised to 万元",
    "column": "column name (see the table's schema)",
    "column_label": "column heading as printed",
    "row_label": "first non-empty cell of the row",
}
SUFFIX_DOCS = {
    "_code": "code",
    "_name": "name as printed (原文)",
    "_raw": "cell text as printed",
    "_key": "name normalised for matching (NFKC: full-width punctuation to half-width, no spaces)",
}


def _column_doc(extraction: Extraction, table_id: str, column: str) -> tuple[str, str | None]:
    """(description, unit) of a column."""
    spec = extraction.layout.table(table_id) if table_id in {t.id for t in extraction.layout.tables} else None
    unit = extraction.units.get(table_id)
    if spec:
        for col in spec.columns:
            if col.name == column:
                return col.label, unit if col.kind == "amount" else None
            for suffix, doc in SUFFIX_DOCS.items():
                if column == col.name + suffix:
                    return f"{col.label}: {doc}", None
    if column in FIELD_DOCS:
        return FIELD_DOCS[column], unit if column == "amount" else ("万元" if column == "amount_wanyuan" else None)
    return column, None


def output_frames(extraction: Extraction) -> dict[str, tuple[str, str, pd.DataFrame]]:
    """Every frame written, as written name -> (table id or "", frame name, frame)."""
    out = {}
    for name, frame in extraction.frames.items():
        out[extraction.written_name(name)] = (extraction.frame_tables[name], name, frame)
    anomalies = pd.DataFrame.from_records(
        [a.as_dict() for a in extraction.anomalies], columns=["table", "line", "column", "kind", "message", "raw"]
    )
    out["amounts"] = ("", "amounts", extraction.amounts)
    out["narrative_figures"] = ("", "narrative_figures", extraction.narrative)
    out["glossary"] = ("", "glossary", extraction.glossary)
    out["anomalies"] = ("", "anomalies", anomalies)
    return out


def write_outputs(extraction: Extraction, out_dir: Path) -> Path:
    """Write CSV (UTF-8 with BOM) + Parquet per frame, each of exactly its declared schema, and
    datapackage.json; returns the datapackage path. The files a previous extraction into the same
    folder wrote and this one does not (another document's tables) are removed, so that the folder
    describes one document."""
    out_dir.mkdir(parents=True, exist_ok=True)
    before = previous_outputs(out_dir)
    resources, extras = [], []
    layout = extraction.layout
    for name, (table_id, frame_name, frame) in output_frames(extraction).items():
        spec = layout.table(table_id) if table_id else None
        flat, schema, extra = typed(layout, spec, frame_name, frame)
        extras.extend({"table": table_id, **cell} for cell in extra)
        resources.extend(_write_frame(extraction, name, spec, frame_name, flat, schema, out_dir))
    if extras or "extra_cells.csv" in before:
        frame = pd.DataFrame.from_records(extras, columns=["table", "frame", "line", "column", "text"])
        flat, schema, _ = typed(layout, None, "extra_cells", frame)
        resources.extend(_write_frame(extraction, "extra_cells", None, "extra_cells", flat, schema, out_dir))
    written = {r["path"] for r in resources}
    if extraction.source.kind == "pdf":  # the text rendering that row line numbers refer to
        (out_dir / "source.txt").write_text(extraction.rendering, encoding="utf-8")
        written.add("source.txt")
    for stem, text in extraction.extra_texts.items():  # the other files of the disclosure
        (out_dir / f"source-{stem}.txt").write_text(text, encoding="utf-8")
        written.add(f"source-{stem}.txt")
    meta = extraction.meta
    package = {
        "name": "-".join(
            ["cnbudget", *(str(meta.get(k, "unknown")) for k in ("region", "year", "department_code"))]
        ).lower(),
        "title": meta.get("title"),
        "description": (
            f"Tables of {meta.get('title')} extracted by cnbudget {__version__} (layout {extraction.layout.name}). "
            "Amount fields carry their unit and decimals; empty cells are blank (zero by omission), not 0. "
            "Every document of this layout writes the same columns with the same types (layouts/<name>/schema.toml). "
            "CSV files are UTF-8 with a byte-order mark."
        ),
        "version": __version__,
        "sources": [
            {
                "title": meta.get("title"),
                # the public URL where there is one, else the file's name: never a local absolute path
                "path": meta.get("url") or Path(str(meta.get("path") or extraction.source.path)).name,
                "sha256": extraction.source.sha256,
                "publisher": meta.get("publisher"),
                "published": meta.get("published"),
            }
        ]
        + [{"title": "same disclosure", "path": Path(str(p)).name} for p in extraction.extra_files],
        "licenses": [
            {
                "name": "publisher-terms",
                "title": meta.get("licence")
                or "no terms stated by the publisher (a government disclosure under the 政府信息公开条例)",
            }
        ],
        "cnbudget": {
            "meta": meta,
            "missing_tables": [s.id for s in extraction.missing],
            "warnings": extraction_warnings(extraction),
        },
        "resources": resources,
    }
    path = out_dir / "datapackage.json"
    path.write_text(json.dumps(package, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    for stale in before - written:
        (out_dir / stale).unlink(missing_ok=True)
    return path


def _write_frame(extraction: Extraction, name: str, spec, frame_name: str, flat: pd.DataFrame, schema, out_dir: Path):
    """Write one frame (of the table ``spec``, or of none) as CSV (UTF-8 with BOM, so that Excel reads
    the Chinese) and Parquet; its two data-package resources."""
    flat.to_csv(out_dir / f"{name}.csv", index=False, encoding="utf-8-sig")
    pq.write_table(to_arrow(flat, schema), out_dir / f"{name}.parquet")
    table_id = spec.id if spec is not None else ""
    fields = []
    for field in schema:
        description, unit = _column_doc(extraction, table_id, field.name)
        entry = {"name": field.name, "type": frictionless_type(kind(spec, field.name)), "description": description}
        if unit:
            entry["unit"] = unit
        if pa.types.is_decimal(field.type) and spec is not None and field.name in (*spec.amount_columns, "amount"):
            entry["printedDecimals"] = spec.decimals  # as the table prints them; stored with 8
        fields.append(entry)
    # an empty cell is missing; "nan" is how a reader through pandas (frictionless reads Parquet that
    # way) shows an empty integer cell
    table_schema = {"fields": fields, "missingValues": ["", "nan"]}
    if spec is not None and (key := declared_key(extraction.layout.name, frame_name)):
        table_schema["primaryKey"] = key  # declared by the layout; the checks validate it
    title = spec.title_zh if spec else name
    resources = []
    for fmt in ("csv", "parquet"):
        resource = {
            "name": f"{name}-{fmt}".replace("_", "-"),
            "path": f"{name}.{fmt}",
            "format": fmt,
            "title": title,
            "schema": table_schema,
        }
        if fmt == "csv":
            resource.update({"mediatype": "text/csv", "encoding": "utf-8-sig"})
        resources.append(resource)
    return resources


def previous_outputs(out_dir: Path) -> set[str]:
    """The files an extraction wrote into ``out_dir``, as its datapackage.json lists them (plain file
    names only), with the text renderings beside them."""
    path = out_dir / "datapackage.json"
    try:
        package = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    if not isinstance(package, dict) or "cnbudget" not in package:
        return set()  # not ours: nothing in the folder is removed
    names = {r.get("path") for r in package.get("resources", []) if isinstance(r, dict)}
    names |= {p.name for p in out_dir.glob("source*.txt")}
    return {n for n in names if isinstance(n, str) and n and Path(n).name == n}
