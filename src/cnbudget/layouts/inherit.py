"""A layout that extends another: a later year is a small diff, not a copy.

``tables.toml`` of the child says ``extends = "<parent>"`` and ``renumber = {parent id = id}``:
the parent's tables it keeps, each under its number in the child (a table not listed is left out).
A child ``[[tables]]`` entry with the id of a kept table is merged over it, key by key (``columns``
replaced whole); an entry with a new id is a new table. ``relations.toml`` and ``report.toml`` of the
child may say ``extends = true``: the parent's relations, narrative rules and report sections are
taken with their table numbers renumbered (in relation ids too: 2024's "07-columns" is 2026's
"05-columns"); a relation on a table the child leaves out is dropped, and so is every relation the
child lists in ``drop`` (by its renumbered id); a child relation with the id of an inherited one
replaces it; the child's narrative rules come first (the first rule that matches wins) and
``narrative.drop`` lists the labels of inherited rules that do not apply; a report section the
child writes replaces the parent's.

Inheritance works on the raw TOML, before validation, so the merged layout is validated as one.
"""

import copy
import re
import tomllib

from ..errors import LayoutError

FILES = ("tables.toml", "relations.toml", "report.toml")
TABLE_KEYS = ("table", "performance")  # keys whose value is a table id


def _read(root, name: str, file: str) -> dict:
    path = root / name / file
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except tomllib.TOMLDecodeError as exc:
        raise LayoutError(f"layouts/{name}/{file}: not valid TOML ({exc})") from None


def _tables_in(value) -> set[str]:
    found, stack = set(), [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            found.update(v for k, v in item.items() if k in TABLE_KEYS and isinstance(v, str))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _renumbered(value, numbers: dict[str, str]):
    if isinstance(value, dict):
        return {
            k: numbers.get(v, v) if k in TABLE_KEYS and isinstance(v, str) else _renumbered(v, numbers)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_renumbered(v, numbers) for v in value]
    return value


def _kept(value, numbers: dict[str, str]) -> bool:
    return _tables_in(value) <= set(numbers)


def _tables(child: dict, parent: dict, numbers: dict[str, str]) -> dict:
    merged = {k: v for k, v in parent.items() if k != "tables"}
    merged.update({k: v for k, v in child.items() if k not in ("extends", "renumber", "tables")})
    tables = {numbers[t["id"]]: {**t, "id": numbers[t["id"]]} for t in parent.get("tables", []) if t["id"] in numbers}
    for entry in child.get("tables", []):
        tables[entry["id"]] = {**tables.get(entry["id"], {}), **entry}
    merged["tables"] = sorted(tables.values(), key=lambda t: t["id"])
    return merged


def _renumbered_id(relation_id: str, numbers: dict[str, str]) -> str:
    """A relation id names its tables by number ("03-vs-07-item"): renumbered like its selectors."""
    return re.sub(r"(?<![0-9])[0-9]{2}(?![0-9])", lambda m: numbers.get(m.group(0), m.group(0)), relation_id)


def _relations(child: dict, parent: dict, numbers: dict[str, str]) -> dict:
    drop = set(child.get("drop", []))
    own = {r["id"]: r for r in child.get("relation", [])}
    inherited = [
        {**_renumbered(r, numbers), "id": _renumbered_id(r["id"], numbers)}
        for r in parent.get("relation", [])
        if _kept(r, numbers)
    ]
    unknown = drop - {_renumbered_id(r["id"], numbers) for r in parent.get("relation", [])}
    if unknown:
        raise LayoutError(f"relations.toml: drop names relations the parent layout does not have: {sorted(unknown)}")
    inherited = [r for r in inherited if r["id"] not in drop]
    relations = [own.pop(r["id"], r) for r in inherited] + list(own.values())
    narrative = copy.deepcopy(parent.get("narrative", {}))
    if "percent_of" in narrative and not _kept(narrative["percent_of"], numbers):
        del narrative["percent_of"]
    dropped = set(child.get("narrative", {}).get("drop", []))
    narrative["rule"] = [r for r in narrative.get("rule", []) if _kept(r, numbers) and r["label"] not in dropped]
    narrative = _renumbered(narrative, numbers)  # each table number once (11 -> 09, never on to 07)
    mine = child.get("narrative", {})
    narrative.update({k: v for k, v in mine.items() if k not in ("rule", "drop")})
    narrative["rule"] = mine.get("rule", []) + narrative["rule"]
    merged = {"relation": relations, "narrative": narrative}
    merged["data_quality"] = child.get("data_quality", parent.get("data_quality", {}))
    return merged


def _report(child: dict, parent: dict, numbers: dict[str, str]) -> dict:
    inherited = {k: _renumbered(v, numbers) for k, v in parent.items() if _kept(v, numbers)}
    inherited.update({k: v for k, v in child.items() if k != "extends"})
    return inherited


def resolved(name: str, root) -> dict[str, dict]:
    """The raw content of a layout's three files (in the layouts folder ``root``), with what it
    inherits merged in."""
    files = {file: _read(root, name, file) for file in FILES}
    parent_name = files["tables.toml"].get("extends")
    if parent_name is None:
        return files
    if not (root / parent_name / "tables.toml").is_file():
        raise LayoutError(f"layouts/{name}/tables.toml: extends unknown layout {parent_name!r}")
    parent = resolved(parent_name, root)
    numbers = files["tables.toml"].get("renumber", {})
    unknown = sorted(set(numbers) - {t["id"] for t in parent["tables.toml"].get("tables", [])})
    if unknown:
        raise LayoutError(f"layouts/{name}/tables.toml: renumber names tables {parent_name} does not have: {unknown}")
    out = {"tables.toml": _tables(files["tables.toml"], parent["tables.toml"], numbers)}
    for file, merge in (("relations.toml", _relations), ("report.toml", _report)):
        child = files[file]
        out[file] = merge(child, parent[file], numbers) if child.get("extends") else child
    return out
