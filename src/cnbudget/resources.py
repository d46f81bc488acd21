"""Where things are: data shipped inside the package, and the repository's folders when there is one.

Everything the code reads at run time (layouts, notebooks, great-expectations suites, reference
code lists, CSS) ships inside the package and is found through ``importlib.resources``, so an
installed wheel works from any folder. The repository's own folders (``data/raw``,
``data/processed``, ``reports``) are used only when cnbudget runs from inside its repository.
"""

import tomllib
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

PACKAGE: Traversable = files("cnbudget")
REFERENCE_DOCUMENT = ("beijing", "2024", "dongcheng-urban-management-command-center", "budget.txt")


def packaged(*parts: str) -> Traversable:
    """A file or folder shipped inside the package (``packaged("layouts", "beijing-2024")``)."""
    node = PACKAGE
    for part in parts:
        node = node / part
    return node


@dataclass(frozen=True)
class Project:
    """The cnbudget repository: its raw data, processed tables and reports."""

    root: Path

    @property
    def raw(self) -> Path:
        return self.root / "data" / "raw"

    @property
    def processed(self) -> Path:
        return self.root / "data" / "processed"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def reference_document(self) -> Path:
        return self.raw.joinpath(*REFERENCE_DOCUMENT)

    def raw_path_of(self, path: Path) -> Path | None:
        """``path``'s folder relative to ``data/raw`` (symlinks resolved), or None outside it."""
        try:
            return path.resolve().parent.relative_to(self.raw.resolve())
        except ValueError:
            return None


def _is_cnbudget(pyproject: Path) -> bool:
    try:
        return tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {}).get("name") == "cnbudget"
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return False


def find_project(start: Path | None = None) -> Project | None:
    """The cnbudget repository that holds ``start`` (default: the working folder), or None."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / "raw").is_dir() and _is_cnbudget(folder / "pyproject.toml"):
            return Project(folder)
    return None
