"""great-expectations: the custom expectations, the suites under expectations/, validation.

The relation engine computes reconciliation frames; GX decides which rows hold. Amounts are
handed to GX as integers of 1e-8 万元 (``*_q`` columns) so that no float rounding enters.
"""

import hashlib
import json
import logging
import os
from pathlib import Path

import pandas as pd

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
import great_expectations as gx  # noqa: E402
from great_expectations.expectations import (  # noqa: E402
    ExpectColumnPairValuesAToBeGreaterThanB,
    ExpectColumnValuesToBeBetween,
    ExpectColumnValuesToBeInSet,
    ExpectColumnValuesToBeUnique,
    ExpectColumnValuesToMatchRegex,
    ExpectColumnValuesToNotBeNull,
)

from ..resources import packaged  # noqa: E402
from .data_docs import make_offline  # noqa: E402

EXPECTATIONS = packaged("checks", "expectations")

logging.getLogger("great_expectations").setLevel(logging.ERROR)

# checks of one document
DOCUMENT_KINDS = ("structure", "within_table", "hierarchy", "cross_table", "narrative", "data_quality")
KINDS = (*DOCUMENT_KINDS, "year_over_year")  # plus two documents of consecutive years (cnbudget.batch.compare)


class ExpectReconciliationWithinAllowance(ExpectColumnPairValuesAToBeGreaterThanB):
    """Each relation instance: |left - right| must not exceed its rounding allowance."""

    column_A: str = "allowance_q"
    column_B: str = "abs_difference_q"
    or_equal: bool = True
    description: str = "两边之差不超过舍入允许误差 (|difference| <= allowance)"


class ExpectReconciliationExact(ExpectColumnValuesToBeBetween):
    """Each relation instance agrees to the cent; rows failing only this are rounding differences."""

    column: str = "abs_difference_q"
    min_value: int = 0
    max_value: int = 0
    description: str = "两边完全相等 (difference == 0)"


class ExpectFindingHolds(ExpectColumnValuesToBeInSet):
    """Each data-quality finding row must hold (no wrong-type cell, no second name for a code...)."""

    column: str = "holds"
    value_set: list = [True]
    description: str = "数据质量检查通过"


CUSTOM = {
    cls.__name__: cls for cls in (ExpectReconciliationWithinAllowance, ExpectReconciliationExact, ExpectFindingHolds)
}


def suite_path(kind: str, root=EXPECTATIONS):
    return root / f"{kind}.json"


def build_suite(kind: str) -> gx.ExpectationSuite:
    if kind in ("data_quality", "structure"):
        expectations = [ExpectFindingHolds()]
    else:
        expectations = [ExpectReconciliationWithinAllowance(), ExpectReconciliationExact()]
    return gx.ExpectationSuite(
        name=f"cnbudget_{kind}", expectations=expectations, meta={"cnbudget": "reconciliation frame of kind " + kind}
    )


def write_suites(root: Path | None = None) -> list[Path]:
    """(Re)generate the suite JSON files (in the source tree by default); `make suites`."""
    root = root or Path(str(EXPECTATIONS))
    root.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind in KINDS:
        data = build_suite(kind).to_json_dict()
        data.pop("id", None)
        for exp in data["expectations"]:
            exp.pop("id", None)
        path = suite_path(kind, root)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def load_suite(kind: str, root=EXPECTATIONS) -> gx.ExpectationSuite:
    """Load a stored suite; fail loudly if an expectation in it did not load (unregistered type)."""
    data = json.loads(suite_path(kind, root).read_text(encoding="utf-8"))
    suite = gx.ExpectationSuite(**data)
    stored = [e["type"] for e in data["expectations"]]
    loaded = [e.expectation_type for e in suite.expectations]
    if stored != loaded:
        raise RuntimeError(f"suite {kind}: stored expectations {stored} but only {loaded} loaded")
    return suite


def validate(frames: dict[str, pd.DataFrame], data_docs_dir: Path | None = None, tables=None) -> dict[str, dict]:
    """Validate each kind's frame with its suite; returns kind -> {"within": set ids failing, "exact": set}.
    ``tables``: (name, frame, rules) of the tidy tables (``checks.table_rules``), validated with suites
    built from them; their failing rules under ``outcome["tables"]`` (rule -> failing row ids).
    With ``data_docs_dir``, the GX Data Docs are built there too."""
    outcome, context = validate_only(frames, data_docs_dir, tables)
    if data_docs_dir:
        build_data_docs(context, data_docs_dir)
    return outcome


def build_data_docs(context, data_docs_dir: Path) -> None:
    """The Data Docs of the context's validations, in ``data_docs_dir``, readable offline."""
    context.build_data_docs()
    make_offline(data_docs_dir)


_EPHEMERAL: dict = {}  # without Data Docs: one context per process, its validations made once and reused


def _context(data_docs_dir: Path | None):
    """(context, data source, cache of validation definitions or None). A file context for Data Docs
    is new each time; the ephemeral one is kept, so that a batch worker sets its suites up once."""
    if data_docs_dir:
        context = gx.get_context(mode="file", project_root_dir=str(data_docs_dir))
        _quiet(context)
        return context, context.data_sources.add_or_update_pandas("reconciliation"), None
    if not _EPHEMERAL:
        context = gx.get_context(mode="ephemeral")
        _quiet(context)
        _EPHEMERAL.update(context=context, source=context.data_sources.add_or_update_pandas("reconciliation"))
        _EPHEMERAL["validations"] = {}
    return _EPHEMERAL["context"], _EPHEMERAL["source"], _EPHEMERAL["validations"]


def _validation(context, source, cache, name: str, make_suite):
    """The validation definition of suite ``make_suite()`` on the dataframe asset ``name``."""
    if cache is not None and name in cache:
        return cache[name]
    suite = context.suites.add_or_update(make_suite())
    asset = source.add_dataframe_asset(name) if name not in [a.name for a in source.assets] else source.get_asset(name)
    batch_def = (
        asset.batch_definitions[0]
        if asset.batch_definitions
        else asset.add_batch_definition_whole_dataframe(f"{name}-all")
    )
    validation = gx.ValidationDefinition(data=batch_def, suite=suite, name=f"validate-{name}")
    validation = context.validation_definitions.add_or_update(validation)
    if cache is not None:
        cache[name] = validation
    return validation


def validate_only(frames: dict[str, pd.DataFrame], data_docs_dir: Path | None = None, tables=None) -> tuple:
    """``validate`` without building the Data Docs: the outcome, and the context to build them from."""
    context, source, cache = _context(data_docs_dir)
    outcome = {}
    for kind, frame in frames.items():
        validation = _validation(context, source, cache, kind, lambda kind=kind: load_suite(kind))
        result = validation.run(
            batch_parameters={"dataframe": frame},
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": _index_columns(frame)},
        )
        failing = {}
        for r in result.results:
            ids = {item["id"] for item in (r.result.get("unexpected_index_list") or [])}
            failing[r.expectation_config.type] = ids
        outcome[kind] = failing
    outcome["tables"] = {}
    for name, frame, rules in tables or []:
        outcome["tables"].update(_validate_table(context, source, cache, name, frame, rules))
    return outcome, context


def _table_expectation(rule: dict):
    meta = {"rule": rule["rule"]}
    if rule["type"] == "regex":
        return ExpectColumnValuesToMatchRegex(column=rule["column"], regex=rule["regex"], meta=meta)
    if rule["type"] == "not_null":
        return ExpectColumnValuesToNotBeNull(column=rule["column"], meta=meta)
    return ExpectColumnValuesToBeUnique(column=rule["column"], meta=meta)


def _validate_table(context, source, cache, name: str, frame: pd.DataFrame, rules: list[dict]) -> dict[str, list]:
    """The tidy tables against the suite their rules make; rule -> ids of the rows that break it."""

    # the rules depend on the columns a document prints: a suite and validation per distinct set
    signature = hashlib.sha256(json.dumps(rules, sort_keys=True).encode()).hexdigest()[:12]
    key = f"table-{name}" if cache is None else f"table-{name}-{signature}"

    def make_suite():
        suite = gx.ExpectationSuite(name=f"cnbudget_table_{name}" if cache is None else f"cnbudget_{key}")
        for rule in rules:
            suite.add_expectation(_table_expectation(rule))
        return suite

    validation = _validation(context, source, cache, key, make_suite)
    result = validation.run(
        batch_parameters={"dataframe": frame},
        result_format={"result_format": "COMPLETE", "unexpected_index_column_names": ["id"]},
    )
    failing: dict[str, list] = {}
    for r in result.results:
        if not r.success:
            ids = [item["id"] for item in (r.result.get("unexpected_index_list") or []) if isinstance(item, dict)]
            failing.setdefault(r.expectation_config.meta["rule"], []).extend(ids)
    return failing


def _index_columns(frame: pd.DataFrame) -> list[str]:
    """What names a failing row in the results and the Data Docs: its id, and its figures as printed."""
    return ["id", "figures"] if "figures" in frame.columns else ["id"]


def _quiet(context) -> None:
    try:
        from great_expectations.data_context.types.base import ProgressBarsConfig

        context.variables.progress_bars = ProgressBarsConfig(globally=False)
    except Exception:  # noqa: BLE001 - progress bars are cosmetic
        pass
