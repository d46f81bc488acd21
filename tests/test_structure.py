"""The package's shape: layers import only the stages before them, specs load and are validated,
selectors treat document text as values, and the packaged notebooks and suites are the ones a
reader opens at the top of the repository."""

import ast
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from paths import REPO

from cnbudget.checks.relations import tables_of
from cnbudget.errors import LayoutError
from cnbudget.layouts import available_layouts, load_layout
from cnbudget.layouts import spec as spec_module
from cnbudget.layouts.selectors import Selector, filter_rows
from cnbudget.resources import packaged

PACKAGE = REPO / "src" / "cnbudget"
# the data flow: a module may import from its own layer and the layers before it, never after
LAYERS = ["foundation", "sources", "read", "layouts", "tables", "checks", "report", "batch", "top"]
FOUNDATION = {"errors", "money", "textnorm", "resources", "words", "logs", "background", "__init__"}
# top-level modules that belong to a later layer: output folders keep out of raw documents' folders
# (known by their sidecars), so `workspace` comes after `sources`
PLACED = {"workspace": "sources", "cli": "top", "api": "top"}


def _layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in FOUNDATION:
        return "foundation"
    return PLACED.get(parts[1], parts[1])


def _imports(path: Path, module: str) -> set[str]:
    """Package modules imported by a module (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module.split(".")[:-1] if path.name != "__init__.py" else module.split(".")
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.startswith("cnbudget"):
                found.add(target)
                found.update(f"{target}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("cnbudget"))
    return found


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def test_no_module_imports_a_later_stage():
    modules = _modules()
    upward = []
    for name, path in modules.items():
        own = LAYERS.index(_layer(name))
        for target in _imports(path, name if path.name != "__init__.py" else name + ".__init__"):
            if target in modules and LAYERS.index(_layer(target)) > own:
                upward.append(f"{name} -> {target}")
    assert upward == []


def test_no_import_cycles():
    modules = _modules()
    graph = {
        name: {
            t
            for t in _imports(path, name if path.name != "__init__.py" else name + ".__init__")
            if t in modules and t != name
        }
        for name, path in modules.items()
    }
    # a package's __init__ re-exporting its own modules is not a cycle of the data flow
    graph = {n: {t for t in ts if not n.startswith(t + ".")} for n, ts in graph.items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*stack[stack.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_every_subpackage_says_what_enters_and_leaves():
    for sub in ("sources", "read", "layouts", "tables", "checks", "report", "batch"):
        doc = ast.get_docstring(ast.parse((PACKAGE / sub / "__init__.py").read_text(encoding="utf-8")))
        assert doc and len(doc) > 80, sub


@pytest.mark.parametrize("name", available_layouts())
def test_every_layout_loads_and_is_consistent(name):
    layout = load_layout(name)
    ids = [t.id for t in layout.tables]
    assert len(ids) == len(set(ids)) and ids
    for rel in layout.relations.relation:  # every table a relation names is a table of the layout
        for table in tables_of(rel):
            assert table in ids, (rel.id, table)
    for rule in layout.relations.narrative.rule:
        assert rule.figure.table in ids, rule.label


@pytest.fixture
def layout_copy(tmp_path, monkeypatch):
    """A copy of the layouts folder that a test may break; load_layout reads from it."""
    target = tmp_path / "layouts"
    shutil.copytree(Path(str(packaged("layouts"))), target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    monkeypatch.setattr(spec_module, "LAYOUTS", target)
    load_layout.cache_clear()
    yield target
    load_layout.cache_clear()


@pytest.mark.parametrize(
    ("layout", "file", "old", "new", "message"),
    [
        pytest.param(
            "jiangsu-2019", "tables.toml", 'fill_down = ["category"]', 'fill_dwon = ["category"]',
            r"^layouts/jiangsu-2019/tables\.toml: tables\.1\.fill_dwon: Extra inputs are not permitted",
            id="misspelt key",
        ),
        pytest.param(
            "beijing-2024", "relations.toml", 'type = "column_sums"', 'type = "column_sum"',
            r"^layouts/beijing-2024/relations.toml: relation.5: Input tag 'column_sum'",
            id="unknown relation type",
        ),
        pytest.param(
            "beijing-2024", "relations.toml", "{ min_length = 4 }", "{ longer_than = 3 }",
            r"longer_than: Extra inputs are not permitted",
            id="unknown where operator",
        ),
        pytest.param(
            "beijing-2026", "relations.toml", '"02-columns",', '"02-column",',
            r"drop names relations the parent layout does not have: \['02-column'\]",
            id="dropped relation not in the parent",
        ),
    ],
)  # fmt: skip
def test_a_broken_spec_is_an_error_naming_the_file_and_the_key(layout_copy, layout, file, old, new, message):
    spec = layout_copy / layout / file
    text = spec.read_text(encoding="utf-8")
    assert old in text  # the edit below breaks what the layout really says
    spec.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(LayoutError, match=message):
        load_layout(layout)


def test_every_relation_and_word_has_its_english():
    """Every relation of every layout says what holds in English too, and every column header and
    table title has English words (declared in the spec or in the glossary)."""
    from cnbudget.words import known

    for name in available_layouts():
        layout = load_layout(name)
        for rel in layout.relations.relation:
            assert rel.description_en, f"{name}: relation {rel.id} has no description_en"
            unquoted = re.sub(r"“[^”]*”|（[^）]*）|\([^)]*\)", "", rel.description_en)
            assert not re.search(r"[\u4e00-\u9fff]", unquoted), f"{name}: {rel.id}: Chinese outside quotes"
            if rel.applies_when is not None:
                assert rel.applies_when.because_en, f"{name}: relation {rel.id}: applies_when has no because_en"
        for spec in layout.tables:
            assert spec.title_en or known(spec.title_zh), f"{name}: table {spec.id} {spec.title_zh} has no English"
            for col in spec.columns:
                assert col.label_en or known(col.label), f"{name}: table {spec.id} column {col.label} has no English"


def test_selector_values_from_the_document_are_never_code():
    import pandas as pd

    frame = pd.DataFrame(
        {"project": ["A'B", 'say "x"', "__import__('os')"], "total": [Decimal(1), Decimal(2), Decimal(3)]}
    )
    for name in frame["project"]:
        sel = Selector(table="04", where={"project": "{name}"})
        assert filter_rows(frame, sel.where, params={"name": name})["project"].tolist() == [name]
    kept = filter_rows(frame, {"project": {"not_prefix": ["A", "__"]}})
    assert kept["project"].tolist() == ['say "x"']


def test_notebooks_and_suites_have_one_source():
    """The top-level folders a reader opens are the packaged ones: they cannot drift apart."""
    for top, packaged_path in (("notebooks", ("report", "notebooks")), ("expectations", ("checks", "expectations"))):
        assert (REPO / top).is_symlink(), top
        assert (REPO / top).resolve() == Path(str(packaged(*packaged_path))).resolve()
    names = sorted(p.name for p in (REPO / "notebooks").glob("*.ipynb"))
    assert names[:4] == ["01_extract.ipynb", "02_checks.ipynb", "03_report.ipynb", "04_compare.ipynb"]
