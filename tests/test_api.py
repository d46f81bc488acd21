"""The Python API: ``cnbudget.load`` and ``cnbudget.load_panel``, as a notebook uses them."""

from decimal import Decimal

import matplotlib
import pytest
from paths import REFERENCE

import cnbudget

matplotlib.use("Agg")


def test_load_gives_tables_to_plot_exact_amounts_checks_and_a_short_repr(tmp_path, capsys):
    d = cnbudget.load(REFERENCE, out=tmp_path / "out")
    ax = d.tables["03"].plot.barh(x="function_name", y="total")
    assert len(ax.patches) == d.tables["03"]["total"].notna().sum()
    exact = d.exact["03"]["total"].dropna()
    assert all(isinstance(v, Decimal) for v in exact)
    assert d.tables["03"]["total"].dropna().tolist() == [float(v) for v in exact]
    assert len(repr(d)) < 300 and len(d._repr_html_()) < 2000 and "<script" not in d._repr_html_()
    assert set(d.checks["status"]) <= {"pass", "fail", "not_evaluated"} and len(d.checks) == d.summary["total"]
    assert (d.checks["status"] == "fail").sum() == d.summary["failed"]
    assert not d.narrative.empty and d.meta["year"] == 2024
    # the second load reads the stages the first one made; `cnbudget run` into the folder reuses them
    made = (tmp_path / "out" / "checks.json").stat().st_mtime_ns
    again = cnbudget.load(REFERENCE, out=tmp_path / "out")
    assert (tmp_path / "out" / "checks.json").stat().st_mtime_ns == made and again.summary == d.summary
    from cnbudget.report.pipeline import run_pipeline

    run_pipeline(REFERENCE, tmp_path / "out", pdf=False)
    err = capsys.readouterr().err
    assert "[1/5] extract: inputs, parameters and outputs unchanged" in err
    assert "[2/5] checks: inputs, parameters and outputs unchanged" in err


def test_import_is_light_and_says_what_it_offers():
    assert cnbudget.__all__ == ["load", "load_panel"] and callable(cnbudget.load_panel)
    with pytest.raises(AttributeError):
        cnbudget.nothing  # noqa: B018


def test_load_panel_reads_a_batch(tmp_path, court_batch):
    p = cnbudget.load_panel(court_batch[1])
    assert sorted(p.panel["year"].unique().tolist()) == [2018, 2019]
    assert p.panel["amount_wanyuan"].dtype == "float64"
    assert isinstance(p.exact["amount_wanyuan"].iloc[0], Decimal)
    assert set(p.checks["document"]) == {"jiangsu/2018/high-court", "jiangsu/2019/high-court"}
    assert len(repr(p)) < 300
    from cnbudget.errors import CnbudgetError

    with pytest.raises(CnbudgetError, match="no batch.json here"):
        cnbudget.load_panel(tmp_path)
