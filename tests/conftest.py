import shutil
from pathlib import Path

import pytest
from paths import REFERENCE

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
