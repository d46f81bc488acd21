"""The teaching notebook runs top to bottom with papermill on two documents of different layouts."""

import nbformat
import pytest
from paths import REFERENCE, raw

from cnbudget.report.pipeline import NOTEBOOKS, run_notebook


def _outputs(nb) -> str:
    texts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            texts.append(output.get("text", "") or "".join(output.get("data", {}).get("text/plain", "")))
    return "\n".join(texts)


def test_the_teaching_notebook_is_named_for_what_it_is():
    assert (NOTEBOOKS / "teaching.ipynb").is_file()
    nb = nbformat.reads((NOTEBOOKS / "teaching.ipynb").read_text(encoding="utf-8"), as_version=4)
    assert any("parameters" in c.metadata.get("tags", []) for c in nb.cells)
    assert "Exercises" in nb.cells[-1].source


@pytest.mark.slow
@pytest.mark.parametrize("case", ["reference", "jiangsu"])
def test_the_teaching_notebook_runs_on_two_documents(tmp_path, case):
    if case == "reference":
        params = {"source": str(REFERENCE), "out_dir": str(tmp_path / "out")}
    else:  # a Jiangsu PDF with a real disagreement, and the year before
        params = {
            "source": str(raw("jiangsu/2018/procuratorate")),
            "previous": str(raw("jiangsu/2017/procuratorate")),
            "out_dir": str(tmp_path / "out"),
            "lang": "en",
        }
    executed = nbformat.read(str(run_notebook("teaching.ipynb", tmp_path, params)), as_version=4)
    said = _outputs(executed)
    recompute = next(c for c in executed.cells if "computed == year_income" in c.source)
    assert recompute.outputs[-1]["data"]["text/plain"] == "True"  # the sources add up
    if case == "jiangsu":
        assert "difference recomputed" in said and "stated changes checked" in said
    else:
        assert "No previous year given" in said
