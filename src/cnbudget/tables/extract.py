"""Extraction stage: source file -> document model -> tidy tables, narrative figures, anomalies."""

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import LayoutError, SourceError
from ..layouts import Layout, TableSpec, detect_layout
from ..layouts.detect import LayoutFit, core_title, owners_of
from ..layouts.generic import NAME as GENERIC
from ..layouts.generic import generic_layout, generic_words
from ..read import Document, read_document
from ..sources import Source, load_source
from ..textnorm import norm
from .cells import Anomaly, CellReader
from .generic import add_code_levels, infer_spec
from .generic_relations import generic_relations
from .grid import parse_grid
from .narrative import extract_figures, glossary_entries
from .performance import parse_overall_performance, parse_project_performance
from .side_by_side import parse_side_by_side
from .summary import parse_two_sided

PARSERS = {
    "grid": parse_grid,
    "two_sided": parse_two_sided,
    "side_by_side": parse_side_by_side,
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
    document: Document | None = None  # the document model the tables were read from
    others: list[Document] = field(default_factory=list)  # the other files of the same disclosure

    @property
    def extra_files(self) -> list[str]:
        """The other files of the disclosure (a narrative file beside the tables file)."""
        return [str(d.source.path) for d in self.others]

    @property
    def extra_texts(self) -> dict[str, str]:
        """Text renderings of the other files that are PDFs, by file stem."""
        return {d.source.path.stem: d.rendering for d in self.others if d.source.kind == "pdf"}

    @property
    def rendering(self) -> str:
        """The text that row line numbers refer to (a PDF's rendering; a text file itself)."""
        return self.document.rendering if self.document else self.source.text

    def pages_of(self, lines: list[int]) -> list[int]:
        """PDF pages on which the given lines are printed (empty for a text source)."""
        return self.document.pages_of(lines) if self.document else []

    def frame_name(self, table_id: str, suffix: str = "") -> str:
        """The name of a table's frame (``suffix`` names a part: "projects", "indicators", ...)."""
        key = self.layout.table(table_id).key
        return f"{key}_{suffix}" if suffix else key

    def frame(self, table_id: str, suffix: str = "") -> pd.DataFrame:
        """The tidy frame of a table (``suffix`` selects a part: "projects", "indicators", ...)."""
        name = self.frame_name(table_id, suffix)
        if name not in self.frames:
            spec = self.layout.table(table_id)
            raise LayoutError(f"表{table_id} {spec.title_zh} is missing from this document")
        return self.frames[name]

    def written_name(self, frame_name: str) -> str:
        """The name a frame is written under (file stem, workbook sheet, GX data asset): t<table>_<frame>."""
        return f"t{self.frame_tables[frame_name]}_{frame_name}"

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
        rendering=first.rendering,
        line_pages=first.line_pages,
        line_chars=first.line_chars,  # line numbers (and so boxes) are the first file's
        turns=first.turns,
    )


def infer_meta(doc: Document, source: Source, layout: Layout) -> dict:
    """What a sidecar would say, read from the document itself; the sidecar wins where present."""
    departments = [s.department for s in doc.sections if s.department]
    year = re.search(r"(20\d{2})\s*年", doc.title or "") or next(
        (re.search(r"(20\d{2})\s*年", s.title) for s in doc.sections), None
    )
    inferred = {
        "title": doc.title or None,
        "department": departments[0] if departments else None,
        "year": int(year.group(1)) if year else None,
        "layout": layout.name,
        "units": {
            "default": layout.default_unit,
            "tables": {s.number: s.unit for s in doc.sections if s.unit and s.unit != layout.default_unit},
        },
    }
    meta = {**inferred, **{k: v for k, v in source.meta.items() if v not in (None, "")}}
    meta["sha256"] = source.sha256
    meta["path"] = str(source.path)
    meta["encoding"] = source.encoding
    meta["registered"] = source.registered
    meta["inferred"] = {k: v for k, v in inferred.items() if k not in source.meta}
    return meta


def _read_parts(paths: list[Path], verify: bool) -> tuple[Document, list[Document], Document]:
    """(the document with its tables, every file's document, the disclosure as one document)."""
    parts = [read_document(load_source(p, verify=verify)) for p in paths]
    with_tables = [d for d in parts if d.sections]
    if not with_tables:
        names = ", ".join(str(d.source.path) for d in parts)
        hint = (
            "no ruled table under a title ending in 表"
            if any(d.source.kind == "pdf" for d in parts)
            else "no heading like '预算01表 …'"
        )
        raise SourceError(
            f"{names}: no budget tables found ({hint}); is this a budget disclosure? A narrative file (文件) needs "
            "its tables file (表格) beside it"
        )
    first = with_tables[0]
    if len(parts) > 1:
        _one_disclosure(parts)
    doc = merge_documents(with_tables + [d for d in parts if not d.sections]) if len(parts) > 1 else first
    return first, parts, doc


def _identity(doc: Document) -> tuple[str | None, int | None]:
    """(department, year) a file says it is: its sidecar's, else what its title and tables print."""
    meta = doc.source.meta
    year = meta.get("year")
    if year is None:
        found = re.search(r"(20\d{2})\s*年", doc.title or "") or next(
            (m for m in (re.search(r"(20\d{2})\s*年", s.title) for s in doc.sections) if m), None
        )
        year = int(found.group(1)) if found else None
    department = meta.get("department") or next((s.department for s in doc.sections if s.department), None)
    return (norm(department) if department else None), (int(year) if year else None)


def _one_disclosure(parts: list[Document]) -> None:
    """Several files are one disclosure only if none says it is another department's or year's."""
    said = [(d.source.path.name, *_identity(d)) for d in parts]
    for what, index in (("year", 2), ("department", 1)):
        known = {s[index] for s in said if s[index] is not None}
        if len(known) > 1:
            listed = "; ".join(f"{s[0]}: {s[index] if s[index] is not None else '?'}" for s in said)
            raise SourceError(
                f"these files are not one disclosure: they name different {what}s ({listed}); give the files of one "
                "department and year (a tables file and its narrative file)"
            )


COVER_SUFFIX = re.compile(r"(部门|单位)?(预算|决算)(信息)?(公开)?$|信息公开$")


def owners(doc: Document, source: Source) -> list[str]:
    """Names a document may put in front of its table titles (its department, from the sidecar,
    the headings and the cover), for detection to take off."""
    cover = COVER_SUFFIX.sub("", re.sub(r"(19|20)\d{2}\s*年度?", "", norm(doc.title or "")))
    names = [source.meta.get("department"), *{s.department for s in doc.sections}, cover]
    return owners_of([s.title for s in doc.sections], [n for n in names if n])


def _assign(fit: LayoutFit, sections: list, names: list[str]) -> tuple[dict[int, TableSpec], list[Anomaly]]:
    """The table each section is, and what is said of the sections that are none of them."""
    assigned = {id(t.section): t.spec for t in fit.tables if t.section is not None}
    notes = []
    for section in sections:
        if id(section) in assigned:
            continue
        core = core_title(section.title, names)
        spec = next((s for s in fit.layout.tables if s.title.fullmatch(core)), None)
        if spec is not None and spec.id in {s.id for s in assigned.values()}:
            kind, message = "duplicate_table", f"第{section.line}行: 表{spec.id} {spec.title_zh} 出现两次，只提取第一次"
        elif spec is not None:
            lacking = next((t.missing_words for t in fit.tables if t.spec.id == spec.id), [])
            kind = "unmatched_columns"
            message = (
                f"第{section.line}行: 表“{section.title}”的标题与布局 {fit.layout.name} 的表{spec.id} {spec.title_zh}"
                f"相同，但表头缺少 {'、'.join(lacking)}，不是同一种表，未提取"
            )
        else:
            kind, message = (
                "unknown_table",
                f"第{section.line}行: 表“{section.title}”不属于布局 {fit.layout.name}，未提取",
            )
        notes.append(Anomaly(spec.id if spec else section.number, section.line, None, kind, message))
    return assigned, notes


def _read_tables(pairs, default_unit: str):
    """Parse each (section, spec): frames, the table of each frame, amount cells, units, the tables
    read, anomalies, and the layout errors of tables that did not parse."""
    frames, frame_tables, amounts, units, seen, anomalies = {}, {}, [], {}, set(), []
    failures: list[LayoutError] = []
    for section, spec in pairs:
        unit = section.unit or spec.unit or default_unit
        units[spec.id] = unit
        reader = CellReader(spec.id, unit, spec.decimals, spec.total_label)
        try:
            parsed = PARSERS[spec.parser](spec, section, reader)
        except LayoutError as exc:  # one table that does not fit: report it, extract the others
            failures.append(exc)
            message = f"表{spec.id} {spec.title_zh} 未能提取: {exc}"
            anomalies.append(Anomaly(spec.id, section.line, None, "unparsed_table", message))
            continue
        seen.add(spec.id)
        for name, frame in parsed.items():
            frames[name], frame_tables[name] = frame, spec.id
        amounts.extend(reader.amounts)
        anomalies.extend(reader.anomalies)
    return frames, frame_tables, amounts, units, seen, anomalies, failures


def _generic(doc: Document):
    """The generic reading: a spec per table, inferred from its header; the layout-free relations."""
    words = generic_words()
    specs = [infer_spec(k, section, words) for k, section in enumerate(doc.sections, start=1)]
    read = _read_tables(zip(doc.sections, specs, strict=True), words.default_unit)
    frames, units = read[0], read[3]
    for spec in specs:
        if spec.key in frames:
            frames[spec.key] = add_code_levels(frames[spec.key], spec)
    stated = {spec.id: units[spec.id] for spec, section in zip(specs, doc.sections, strict=True) if section.unit}
    layout = generic_layout(specs, generic_relations(specs, frames, stated, words))
    return layout, read


def extract(path: str | Path | list, layout_name: str | None = None, verify: bool = True) -> Extraction:
    """Read one disclosure and return its tables as tidy frames.

    Parameters
    ----------
    path: the source file (text conversion or published PDF, registered under data/raw/ or not),
        or several files that make up one disclosure (a narrative PDF and a tables PDF).
    layout_name: force a layout instead of detecting it from the tables; ``generic`` reads every
        table as printed, with no layout.
    verify: check the sha256 recorded in the sidecar (registered files).
    """
    paths = [Path(p) for p in path] if isinstance(path, (list, tuple)) else [Path(path)]
    if not paths:
        raise SourceError("no source file given")
    first, parts, doc = _read_parts(paths, verify)
    source = first.source
    names = owners(doc, source)
    if layout_name == GENERIC:
        layout, read = _generic(doc)
        notes = []
    else:
        fit = detect_layout(doc.sections, names, forced=layout_name)
        layout = fit.layout
        assigned, notes = _assign(fit, doc.sections, names)
        pairs = [(s, assigned[id(s)]) for s in doc.sections if id(s) in assigned]
        read = _read_tables(pairs, layout.default_unit)
    frames, frame_tables, amounts, units, seen, anomalies, failures = read
    if failures and not frames:  # nothing fits: the layout is wrong for this document
        raise failures[0]
    missing = [s for s in layout.tables if s.id not in seen] if layout.name != GENERIC else []
    meta = infer_meta(doc, source, layout)
    return Extraction(
        source=source,
        layout=layout,
        meta=meta,
        frames=frames,
        frame_tables=frame_tables,
        amounts=pd.DataFrame.from_records(amounts),
        narrative=extract_figures(doc.narrative, meta.get("year"), names),
        glossary=glossary_entries(doc.glossary),
        anomalies=notes + anomalies,
        units=units,
        missing=missing,
        document=doc,
        others=[d for d in parts if d is not first],
    )


# anomalies that change what was read: said on screen as well as recorded
ANNOUNCED = ("invalid_amount", "wrong_type", "not_code_name", "not_code", "extra_cells", "unparsed_table")


_LAST: dict[tuple, Extraction] = {}


def extracted(path: str | Path | list, layout_name: str | None = None) -> Extraction:
    """``extract``, remembered for the life of the process: the notebooks of one ``cnbudget run``
    share a kernel, and the second and third ask for the extraction the first one made. The key is
    the files' paths and sha256 (read and verified again) and the layout, so a changed file is read
    again. Only the last extraction is kept. The result is shared: do not modify it."""
    paths = [Path(p) for p in path] if isinstance(path, (list, tuple)) else [Path(path)]
    key = (tuple((str(p.resolve()), load_source(p).sha256) for p in paths), layout_name)
    if key not in _LAST:
        _LAST.clear()
        _LAST[key] = extract(paths if len(paths) > 1 else paths[0], layout_name=layout_name)
    return _LAST[key]


def extraction_warnings(ex: Extraction) -> list[str]:
    """What a user must hear about an extraction (``cnbudget extract`` and ``run`` print these; the
    data package records them): tables missing, tables printed twice, cells not read as printed."""
    out = []
    if ex.missing:
        names = ", ".join(f"表{s.id} {s.title_zh}" for s in ex.missing)
        out.append(
            f"{len(ex.missing)} of {len(ex.layout.tables)} tables missing from the document: {names}; the others "
            "were extracted, and the checks that need the missing ones are not evaluated"
        )
    repeated = [a for a in ex.anomalies if a.kind == "duplicate_table"]
    if repeated:
        tables = sorted({a.table for a in repeated})
        out.append(
            f"{len(repeated)} tables printed again after their first copy (表{'、'.join(tables)}); only the first copy "
            "of each was extracted: is the document repeated, or two documents joined?"
        )
    out.extend(a.message for a in ex.anomalies if a.kind in ANNOUNCED)
    return out
