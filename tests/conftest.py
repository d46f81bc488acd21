import shutil
from pathlib import Path

import pytest
from paths import DATA_RAW, REFERENCE

from cnbudget.tables.extract import extract


@pytest.fixture(scope="session")
def reference() -> Path:
    return REFERENCE


@pytest.fixture(scope="session")
def ref_extraction(reference):
    return extract(reference)


@pytest.fixture
def unregistered_copy(tmp_path, reference) -> Path:
    """The reference text copied without its sidecar (an unregistered document)."""
    target = tmp_path / "doc.txt"
    shutil.copyfile(reference, target)
    target.chmod(0o644)
    return target


@pytest.fixture(scope="session")
def court_batch(tmp_path_factory) -> tuple[Path, Path]:
    """(folder of raw documents, batch output) of `cnbudget batch --no-report` over two years of one
    Jiangsu department, run once for the tests that read a batch's outputs."""
    from cnbudget.batch.run import run_batch

    root = tmp_path_factory.mktemp("court-raw")
    for key in ("jiangsu/2018/high-court", "jiangsu/2019/high-court"):
        if not (DATA_RAW / key / "budget.pdf").exists():
            pytest.skip(f"{key} is not fetched: run `make data`")
        shutil.copytree(DATA_RAW / key, root / key)
    out = tmp_path_factory.mktemp("court-batch")
    run_batch(root, out, jobs=1, report=False, compare=False)
    return root, out
