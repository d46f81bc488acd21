"""cnbudget in a notebook: ``cnbudget.load(path)`` and ``cnbudget.load_panel(folder)``.

    import cnbudget
    d = cnbudget.load("data/raw/jiangsu/2019/high-court/budget.pdf")
    d                                  # a short summary (HTML in Jupyter)
    d.tables["03"].plot.barh(x="function_name", y="total")   # float amounts, for analysis
    d.exact["03"]                      # the same table with exact Decimal amounts
    d.checks.query("status == 'fail'") # one row per check
    d.narrative, d.meta, d.frames      # narrative figures, sidecar/inferred meta, every frame by name

``load`` uses the same stages as ``cnbudget run``: when ``out`` holds checks made from the same
file, parameters and code, they are read, not redone; otherwise they are made there (tables in
``out/data``, ``checks.json``), so that a later ``cnbudget run … --out out`` reuses them too.
"""

import html
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .tables.extract import Extraction, extracted
from .tables.schema import kind


def _floats(frame: pd.DataFrame, spec) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if kind(spec, column) in ("amount", "amount_wanyuan"):
            out[column] = pd.to_numeric(out[column].map(lambda v: float(v) if v is not None and v == v else None))
    return out


def _summary_rows(meta: dict, extra: list[tuple[str, str]]) -> str:
    rows = [("title", meta.get("title")), ("year", meta.get("year")), *extra]
    return "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>" for k, v in rows if v)


@dataclass(repr=False)
class Disclosure:
    """One disclosure read and checked: tables, narrative figures, checks, meta."""

    extraction: Extraction
    checks: pd.DataFrame
    out: Path
    summary: dict = field(default_factory=dict)

    @property
    def meta(self) -> dict:
        return dict(self.extraction.meta)

    @property
    def frames(self) -> dict[str, pd.DataFrame]:
        """Every tidy frame by name, exact Decimal amounts."""
        return dict(self.extraction.frames)

    @property
    def exact(self) -> dict[str, pd.DataFrame]:
        """Table id -> its (first) frame, with exact Decimal amounts."""
        out: dict[str, pd.DataFrame] = {}
        for name, frame in self.extraction.frames.items():
            out.setdefault(self.extraction.frame_tables[name], frame)
        return out

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Table id -> its (first) frame, amounts as floats (for plots and statistics; use ``exact``
        to compare to the cent)."""
        layout = self.extraction.layout
        return {tid: _floats(frame, layout.table(tid)) for tid, frame in self.exact.items()}

    @property
    def narrative(self) -> pd.DataFrame:
        return self.extraction.narrative

    def __repr__(self) -> str:
        s = self.summary
        return (
            f"<cnbudget.Disclosure {self.meta.get('title')!s} · layout {self.extraction.layout.name} · "
            f"{len(self.exact)} tables · {s.get('total', 0)} checks, {s.get('failed', 0)} disagree "
            f"({s.get('material', 0)} material)>"
        )

    def _repr_html_(self) -> str:
        s = self.summary
        extra = [
            ("layout", self.extraction.layout.name),
            ("tables", ", ".join(sorted(self.exact))),
            (
                "checks",
                f"{s.get('total', 0)} checked: {s.get('passed', 0)} hold, {s.get('failed', 0)} disagree "
                f"({s.get('material', 0)} material, {s.get('minor', 0)} minor), "
                f"{s.get('not_evaluated', 0)} not evaluated",
            ),  # fmt: skip
            ("outputs", str(self.out)),
        ]
        return f"<table>{_summary_rows(self.meta, extra)}</table>"


def load(source, out: str | Path | None = None, layout: str | None = None) -> Disclosure:
    """Read and check one disclosure (a path, or a list of paths for one published in parts)."""
    from .cli import default_out, processed_folder
    from .report.pipeline import run_params, stages_fresh, tables_and_checks
    from .sources import load_source

    paths = [Path(p) for p in source] if isinstance(source, (list, tuple)) else [Path(source)]
    one = paths[0] if len(paths) == 1 else paths
    # the folders `cnbudget run` would use
    given = out is not None
    out = Path(out) if given else default_out(one, "reports")
    processed = processed_folder(one, out, given)
    ex = extracted(one, layout_name=layout)
    loaded = [load_source(p) for p in paths]
    params = run_params(paths, loaded, out, processed, "zh", layout)
    if stages_fresh(out, processed, loaded, params):
        result = json.loads((out / "checks.json").read_text(encoding="utf-8"))
    else:
        result = tables_and_checks(ex, one, loaded, out, processed, params)
    return Disclosure(ex, pd.DataFrame(result["checks"]), out, result["summary"])


@dataclass(repr=False)
class Panel:
    """A batch's outputs: the panel (float amounts; ``exact`` with Decimals), the documents, the checks."""

    folder: Path
    exact: pd.DataFrame
    documents: pd.DataFrame
    checks: pd.DataFrame
    meta: dict

    @property
    def panel(self) -> pd.DataFrame:
        out = self.exact.copy()
        for column in ("amount", "amount_wanyuan"):
            out[column] = out[column].astype("float64")
        return out

    def __repr__(self) -> str:
        return (
            f"<cnbudget.Panel {self.folder} · {len(self.documents)} documents · {len(self.exact)} amounts · "
            f"{len(self.checks)} checks>"
        )

    def _repr_html_(self) -> str:
        extra = [("documents", len(self.documents)), ("amounts", len(self.exact)), ("checks", len(self.checks))]
        return f"<table>{_summary_rows({'title': str(self.folder)}, extra)}</table>"


def load_panel(folder: str | Path) -> Panel:
    """Read what ``cnbudget batch`` wrote into ``folder`` (no recomputation)."""
    from .errors import CnbudgetError

    folder = Path(folder)
    if not (folder / "batch.json").is_file():
        raise CnbudgetError(f"{folder}: no batch.json here; give the --out folder of a `cnbudget batch`")
    batch = json.loads((folder / "batch.json").read_text(encoding="utf-8"))
    exact = pd.read_parquet(folder / "panel" / "parquet")
    for column in ("region", "year"):  # partition keys come back as categories
        exact[column] = exact[column].astype(str if column == "region" else "int64")
    documents = pd.DataFrame([{k: v for k, v in r.items() if k not in ("meta", "summary")} for r in batch["results"]])
    checks = []
    for r in batch["results"]:
        path = Path(r["out"]) / "checks.json"
        if r["status"] == "ok" and path.is_file():
            checks.extend({"document": r["key"], **c} for c in json.loads(path.read_text(encoding="utf-8"))["checks"])
    return Panel(folder, exact, documents, pd.DataFrame(checks), batch["summary"])
