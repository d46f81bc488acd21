"""Panel dataset: every document's tables stacked in one long frame, one row per amount cell.

Columns: region, department, year, layout, document, table_id, table_title, frame, line, page,
row_type, level, side, item, function_code, economic_code, column_name, column_label, unit,
amount (as printed, in ``unit``), amount_wanyuan (万元). Amounts are exact decimals.
"""

from decimal import Decimal
from pathlib import Path

import pandas as pd

from ..money import to_wanyuan
from .extract import Extraction
from .schema import text_or_none

LABEL_COLUMNS = (
    "item",
    "function_name",
    "economic_name",
    "project",
    "project_name",
    "category",
    "unit_name",
    "year",
    "activity",
    "fund",
)
PANEL_COLUMNS = [
    "region", "department", "year", "layout", "document", "table_id", "table_title", "frame", "line", "page",
    "row_type", "level", "side", "item", "function_code", "economic_code", "column_name", "column_label", "unit",
    "amount", "amount_wanyuan",
]  # fmt: skip


PARTITIONS = ("region", "year")


def long_frame(ex: Extraction, document: str) -> pd.DataFrame:
    """Every non-blank amount cell of every table of one document."""
    meta = ex.meta
    records = []
    for name, frame in ex.frames.items():
        table_id = ex.frame_tables[name]
        spec = ex.layout.table(table_id)
        unit = ex.units.get(table_id, ex.layout.default_unit)
        amount_columns = [c for c in frame.columns if c in spec.amount_columns or c == "amount"]
        for row in frame.to_dict("records"):
            label = next((text_or_none(row.get(c)) for c in LABEL_COLUMNS if text_or_none(row.get(c))), None)
            for column in amount_columns:
                value = row.get(column)
                if not isinstance(value, Decimal):
                    continue
                try:
                    column_label = spec.column(column).label
                except KeyError:
                    column_label = column
                records.append(
                    {
                        "region": meta.get("region"),
                        "department": meta.get("department"),
                        "year": meta.get("year"),
                        "layout": ex.layout.name,
                        "document": document,
                        "table_id": table_id,
                        "table_title": spec.title_zh,
                        "frame": name,
                        "line": row.get("line"),
                        "page": row.get("page"),
                        "row_type": row.get("row_type"),
                        "level": text_or_none(row.get("level"))
                        or (str(row["item_level"]) if "item_level" in row else None),
                        "side": row.get("side"),
                        "item": label,
                        "function_code": text_or_none(row.get("function_code")),
                        "economic_code": text_or_none(row.get("economic_code")),
                        "column_name": column,
                        "column_label": column_label,
                        "unit": unit,
                        "amount": value,
                        "amount_wanyuan": to_wanyuan(value, unit),
                    }
                )
    return pd.DataFrame.from_records(records, columns=PANEL_COLUMNS)


def write_panel(parts: list[pd.DataFrame], out: Path) -> dict:
    """Stack the documents' long frames; write the Parquet dataset ``parquet/`` (hive-partitioned by
    region and year: DuckDB, Spark, pyarrow and pandas read all of it or one partition), panel.csv
    and datapackage.json."""
    import json
    import shutil

    import pyarrow as pa
    import pyarrow.dataset as pads

    panel = (
        pd.concat([p for p in parts if len(p)], ignore_index=True)
        if any(len(p) for p in parts)
        else pd.DataFrame(columns=PANEL_COLUMNS)
    )
    out.mkdir(parents=True, exist_ok=True)
    panel.to_csv(out / "panel.csv", index=False, encoding="utf-8-sig")  # with a BOM: Excel reads the Chinese
    schema = pa.schema(
        [
            (
                c,
                pa.int64()
                if c in ("year", "line", "page")
                else pa.decimal128(24, 8)
                if c.startswith("amount")
                else pa.string(),
            )
            for c in PANEL_COLUMNS
        ]
    )
    # no pandas metadata: it would make pandas read the partition key `year` (a dictionary once
    # partitioned) as Int64 and fail; readers get the Arrow types, partition keys as categories
    arrow = pa.Table.from_pandas(_typed(panel), schema=schema, preserve_index=False).replace_schema_metadata(None)
    dataset = out / "parquet"
    shutil.rmtree(dataset, ignore_errors=True)  # a rerun replaces the whole dataset
    pads.write_dataset(
        arrow,
        dataset,
        format="parquet",
        partitioning=PARTITIONS,
        partitioning_flavor="hive",
        basename_template="part-{i}.parquet",
    )
    docs = {
        "year": "budget year of the document",
        "amount": "amount as printed, in `unit` (exact decimal)",
        "amount_wanyuan": "the same amount in 万元 (10,000 yuan), exact decimal",
        "table_id": "table id in the layout (for jiangsu-2019 the 2019 number: matched by title, not by number)",
        "line": "line of the document's text rendering (data/processed/…/source.txt for PDFs)",
        "page": "PDF page (empty for text sources)",
        "level": "row level: category/economic/item (procurement), 1/2/0 (summary tables)",
        "side": "side of a summary table: income, expenditure, function, use",
    }
    fields = [
        {
            "name": c,
            "type": "integer" if c in ("year", "line", "page") else "number" if c.startswith("amount") else "string",
            "description": docs.get(c, c.replace("_", " ")),
        }
        for c in PANEL_COLUMNS
    ]
    package = {
        "name": "cnbudget-panel",
        "title": "cnbudget panel: every amount of every document, long format",
        "resources": [
            {
                "name": "panel-csv",
                "path": "panel.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "schema": {"fields": fields},
            },
        ],
        "documents": sorted(panel["document"].dropna().unique().tolist()) if len(panel) else [],
        "cnbudget": {
            "parquet_dataset": {
                "path": "parquet",
                "partitioning": "hive",
                "keys": list(PARTITIONS),
                "note": "the same rows as panel.csv, as Parquet files under parquet/region=<region>/year=<year>/; "
                "the partition keys are in the folder names, not in the files",
            }
        },
    }
    (out / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8")
    return {"rows": len(panel), "documents": len(package["documents"]), "path": dataset}


def _typed(panel: pd.DataFrame) -> pd.DataFrame:
    out = panel.copy()
    for c in ("year", "line", "page"):
        out[c] = pd.array([int(v) if v is not None and not pd.isna(v) else None for v in out[c]], dtype="Int64")
    for c in PANEL_COLUMNS:
        if c not in ("year", "line", "page") and not c.startswith("amount"):
            out[c] = [None if v is None or (isinstance(v, float) and pd.isna(v)) else str(v) for v in out[c]]
    return out
