import shutil
from pathlib import Path

import pytest

from cnbudget.extract import extract
from cnbudget.paths import DEFAULT_SOURCE


@pytest.fixture(scope="session")
def reference() -> Path:
    return DEFAULT_SOURCE


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
