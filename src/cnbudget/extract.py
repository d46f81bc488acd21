"""Extraction stage: source file -> document model -> tidy tables, narrative figures, anomalies."""

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .cells import Anomaly, CellReader
from .document import Document, read_document
from .errors import LayoutError, SourceError
from .grid import parse_grid, parse_two_sided
from .layout import Layout, TableSpec, detect_layout, load_layout
from .narrative import extract_figures, glossary_entries
from .performance import parse_overall_performance, parse_project_performance
from .source import Source, load_source

PARSERS = {
    "grid": parse_grid,
    "two_sided": parse_two_sided,
    "project_performance": parse_project_performance,
    "overall_performance": parse_overall_performance,
}


@dataclass
class Extraction:
    """Everything extracted from one disclosure."""

    source: Source
    layout: Layout
    meta: dict
    frames: dict[str, pd.DataFrame]  # frame name -> tidy table
    frame_tables: dict[str, str]  # frame name -> table id
    amounts: pd.DataFrame  # every amount cell, long form
    narrative: pd.DataFrame
    glossary: pd.DataFrame
    anomalies: list[Anomaly]
    units: dict[str, str]  # table id -> stated unit
    missing: list[TableSpec] = field(default_factory=list)

    def frame(self, table_id: str, suffix: str = "") -> pd.DataFrame:
        """The tidy frame of a table (``suffix`` selects a part: "projects", "indicators", ...)."""
        spec = self.layout.table(table_id)
        name = f"{spec.key}_{suffix}" if suffix else spec.key
        if name not in self.frames:
            raise LayoutError(f"表{table_id} {spec.title_zh} is missing from this document")
        return self.frames[name]

    def has(self, table_id: str) -> bool:
        return table_id not in {s.id for s in self.missing}


def merge_documents(docs: list[Document]) -> Document:
    """One disclosure published as several files: tables from every file, narrative and glossary
    from whichever files carry them. Line numbers stay those of each file's own rendering."""
    first = docs[0]
    return Document(
        first.source,
        next((d.title for d in docs if d.title), ""),
        [s for d in docs for s in d.sections],
        [n for d in docs for n in d.narrative],
        [g for d in docs for g in d.glossary],
        [p for d in docs for p in d.preamble],
    )


def infer_meta(doc: Document, source: Source, layout: Layout) -> dict:
    """What a sidecar would say, read from the document itself; the sidecar wins where present."""
    departments = [s.department for s in doc.sections if s.department]
    year = re.search(r"(20\d{2})\s*年", doc.title or "") or next((re.search(r"(20\d{2})\s*年", s.title) for s in doc.sections), None)
    inferred = {
        "title": doc.title or None,
        "department": departments[0] if departments else None,
        "year": int(year.group(1)) if year else None,
        "layout": layout.name,
        "units": {"default": layout.default_unit, "tables": {s.number: s.unit for s in doc.sections if s.unit and s.unit != layout.default_unit}},
    }
    meta = {**inferred, **{k: v for k, v in source.meta.items() if v not in (None, "")}}
    meta["sha256"] = source.sha256
    meta["path"] = str(source.path)
    meta["encoding"] = source.encoding
    meta["registered"] = source.registered
    meta["inferred"] = {k: v for k, v in inferred.items() if k not in source.meta}
    return meta


def extract(path: str | Path | list, layout_name: str | None = None, verify: bool = True) -> Extraction:
    """Read one disclosure and return its tables as tidy frames.

    Parameters
    ----------
    path: the source file (text conversion or published PDF, registered under data/raw/ or not),
        or several files that make up one disclosure (a narrative PDF and a tables PDF).
    layout_name: force a layout instead of detecting it from the table titles.
    verify: check the sha256 recorded in the sidecar (registered files).
    """
    paths = [Path(p) for p in path] if isinstance(path, (list, tuple)) else [Path(path)]
    if not paths:
        raise SourceError("no source file given")
    parts = [(src, read_document(src)) for src in (load_source(p, verify=verify) for p in paths)]
    with_tables = [(src, d) for src, d in parts if d.sections]
    if not with_tables:
        names = ", ".join(str(src.path) for src, _ in parts)
        hint = "no ruled table under a title ending in 表" if any(src.kind == "pdf" for src, _ in parts) else "no heading like '预算01表 …'"
        raise SourceError(f"{names}: no budget tables found ({hint}); is this a budget disclosure? A narrative file (文件) needs its tables file (表格) beside it")
    source, doc = with_tables[0]
    if len(parts) > 1:
        doc = merge_documents([d for _, d in with_tables] + [d for _, d in parts if not d.sections])
    elif not doc.sections:
        raise SourceError(f"{source.path}: no budget tables found")
    layout = load_layout(layout_name) if layout_name else detect_layout([s.title for s in doc.sections])
    source.extra_files = [str(src.path) for src, _ in parts if src is not source]
    source.extra_texts = {src.path.stem: src.text for src, _ in parts if src is not source and src.kind == "pdf"}
    frames, frame_tables, amounts, anomalies, units, seen = {}, {}, [], [], {}, set()
    failures: list[LayoutError] = []
    for section in doc.sections:
        spec = layout.match_title(section.title)
        if spec is None:
            anomalies.append(Anomaly(section.number, section.line, None, "unknown_table", f"第{section.line}行: 表“{section.title}”不属于布局 {layout.name}，未提取"))
            continue
        if spec.id in seen:
            anomalies.append(Anomaly(spec.id, section.line, None, "duplicate_table", f"第{section.line}行: 表{spec.id} {spec.title_zh} 出现两次，只提取第一次"))
            continue
        seen.add(spec.id)
        unit = section.unit or spec.unit or layout.default_unit
        units[spec.id] = unit
        reader = CellReader(spec.id, unit, spec.decimals)
        try:
            parsed = PARSERS[spec.parser](spec, section, reader)
        except LayoutError as exc:  # one table that does not fit: report it, extract the others
            failures.append(exc)
            anomalies.append(Anomaly(spec.id, section.line, None, "unparsed_table", f"表{spec.id} {spec.title_zh} 未能提取: {exc}"))
            seen.discard(spec.id)
            continue
        for name, frame in parsed.items():
            frames[name], frame_tables[name] = frame, spec.id
        amounts.extend(reader.amounts)
        anomalies.extend(reader.anomalies)
    if failures and not frames:  # nothing fits: the layout is wrong for this document
        raise failures[0]
    missing = [s for s in layout.tables if s.id not in seen]
    meta = infer_meta(doc, source, layout)
    return Extraction(
        source=source,
        layout=layout,
        meta=meta,
        frames=frames,
        frame_tables=frame_tables,
        amounts=pd.DataFrame.from_records(amounts),
        narrative=extract_figures(doc.narrative, meta.get("year")),
        glossary=glossary_entries(doc.glossary),
        anomalies=anomalies,
        units=units,
        missing=missing,
    )
