"""Every amount cell against the page images.

``tests/data/transcribed/*.toml`` hold tables of the registered documents as a person read them
from the rendered pages (pdftoppm), never from a text extraction: every data row, top to bottom,
with its amount cells as printed (all tables of the Shanghai documents and of most 2026 budgets; at
least one table of each kind for the others). Here each transcribed table is compared with the
extraction row by row: the same rows in the same order, each with the same printed amounts (blank
cells aside), and the tables printed empty are read as empty, their note kept. A file that says
``complete = true`` transcribes every table of its layout: all of them must have been read."""

import tomllib
from pathlib import Path

import pytest
from paths import REPO, fetched

from cnbudget.layouts.detect import core_title
from cnbudget.tables.extract import extract, owners
from cnbudget.textnorm import norm

TRANSCRIBED = sorted((Path(__file__).parent / "data" / "transcribed").glob("*.toml"))


def _load(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=TRANSCRIBED, ids=lambda p: p.stem)
def document(request):
    truth = _load(request.param)
    sources = truth["source"] if isinstance(truth["source"], list) else [truth["source"]]
    ex = extract([fetched(REPO / s) for s in sources])
    return truth, ex


def _spec(ex, title: str):
    names = owners(ex.document, ex.source)
    core = core_title(norm(title), names)
    found = [s for s in ex.layout.tables if s.title.fullmatch(core)]
    assert len(found) == 1, f"{title!r} ({core!r}) is not one table of {ex.layout.name}"
    return found[0]


def _printed_rows(ex, table_id: str) -> list[list[str]]:
    """The extraction's amount cells of one table: per printed line, the non-blank cells as printed."""
    cells = ex.amounts[(ex.amounts["table"] == table_id) & (ex.amounts["raw"] != "")]
    return [sorted(norm(v) for v in group["raw"]) for _, group in cells.groupby("line", sort=True)]


def _transcribed_rows(table: dict) -> list[list[str]]:
    rows = [sorted(norm(v) for v in amounts if v.strip()) for _, amounts in table["rows"]]
    return [r for r in rows if r]


def test_every_table_is_read_with_the_right_layout(document):
    truth, ex = document
    transcribed = {_spec(ex, t["title"]).id for t in truth["table"]}
    missing = {s.id for s in ex.missing}
    assert not transcribed & missing  # every table the page images show was read
    if truth.get("complete", True):  # and every table read is one the page images show
        assert transcribed == {s.id for s in ex.layout.tables} - missing


def test_every_amount_cell_as_printed(document):
    truth, ex = document
    for table in truth["table"]:
        spec = _spec(ex, table["title"])
        assert ex.units[spec.id] == table["unit"], spec.title_zh
        expected = _transcribed_rows(table)
        assert _printed_rows(ex, spec.id) == expected, f"表{spec.id} {spec.title_zh}"


def test_empty_tables_are_empty_not_missing(document):
    truth, ex = document
    for table in (t for t in truth["table"] if t.get("empty")):
        spec = _spec(ex, table["title"])
        assert ex.has(spec.id)
        notes = [a for a in ex.anomalies if a.table == spec.id and a.kind == "empty_table"]
        assert len(notes) == 1, f"表{spec.id}"
        if table.get("note"):
            assert norm(notes[0].raw or "") == norm(table["note"])
