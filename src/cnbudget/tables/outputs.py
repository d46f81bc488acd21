"""Processed outputs: one CSV and one Parquet per tidy table, and a Frictionless datapackage.json."""

import json
from decimal import Decimal
from pathlib import Path

import pandas as pd

from .. import __version__
from .extract import Extraction, extraction_warnings

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


def _field_type(series: pd.Series) -> str:
    values = series.dropna()
    if values.empty:
        return "string"
    first = values.iloc[0]
    if isinstance(first, Decimal):
        return "number"
    if isinstance(first, bool):
        return "boolean"
    if isinstance(first, int) or pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_float_dtype(series):
        return "number"
    return "string"


def _flatten(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for col in frame.columns:
        if frame[col].map(lambda v: isinstance(v, list)).any():
            frame[col] = frame[col].map(lambda v: ";".join(map(str, v)) if isinstance(v, list) else v)
    return frame


def output_frames(extraction: Extraction) -> dict[str, tuple[str, pd.DataFrame]]:
    """Every frame written, as name -> (table id or "", frame)."""
    out = {}
    for name, frame in extraction.frames.items():
        table_id = extraction.frame_tables[name]
        out[f"t{table_id}_{name}"] = (table_id, frame)
    anomalies = pd.DataFrame.from_records(
        [a.as_dict() for a in extraction.anomalies], columns=["table", "line", "column", "kind", "message", "raw"]
    )
    out["amounts"] = ("", extraction.amounts)
    out["narrative_figures"] = ("", extraction.narrative)
    out["glossary"] = ("", extraction.glossary)
    out["anomalies"] = ("", anomalies)
    return out


def write_outputs(extraction: Extraction, out_dir: Path) -> Path:
    """Write CSV + Parquet per frame and datapackage.json; returns the datapackage path. The files a
    previous extraction into the same folder wrote and this one does not (another document's tables)
    are removed, so that the folder describes one document."""
    out_dir.mkdir(parents=True, exist_ok=True)
    before = previous_outputs(out_dir)
    resources = []
    for name, (table_id, frame) in output_frames(extraction).items():
        flat = _flatten(frame)
        flat.to_csv(out_dir / f"{name}.csv", index=False)
        flat.to_parquet(out_dir / f"{name}.parquet", index=False)
        fields = []
        for col in flat.columns:
            description, unit = _column_doc(extraction, table_id, col)
            field = {"name": col, "type": _field_type(flat[col]), "description": description}
            if unit:
                field["unit"] = unit
            fields.append(field)
        title = extraction.layout.table(table_id).title_zh if table_id else name
        for fmt in ("csv", "parquet"):
            resource = {
                "name": f"{name}-{fmt}".replace("_", "-"),
                "path": f"{name}.{fmt}",
                "format": fmt,
                "title": title,
                "schema": {"fields": fields},
            }
            if fmt == "csv":
                resource.update({"mediatype": "text/csv", "encoding": "utf-8"})
            resources.append(resource)
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
            "Amount fields carry their unit; empty cells are blank (zero by omission), not 0."
        ),
        "version": __version__,
        "sources": [
            {
                "title": meta.get("title"),
                "path": meta.get("path"),
                "sha256": extraction.source.sha256,
                "publisher": meta.get("publisher"),
                "published": meta.get("published"),
            }
        ]
        + [{"title": "same disclosure", "path": p} for p in extraction.extra_files],
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
