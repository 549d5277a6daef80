"""Each registry row is built in one place (issue 15): ``nseers.services.rows``.

The batch writer of movements and the ORM paths (refusals, call-in registration,
interviews, amendments) once each spelled out the columns of the same tables, and could
drift: a name key computed one way here and another there, a default set on one path
only. Outside the row builder, code may only *link* a row it did not build: construct a
model from ``**row`` plus its relationships and foreign keys, and hand the batch writer a
builder's dictionary with the ids of the rows it refers to.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy import inspect

from nseers.db.base import Base
from nseers.registry.encounters import Encounter
from nseers.registry.i94 import I94Record
from nseers.registry.people import Citizenship, Person, PersonName, TravelDocument
from nseers.registry.registrations import Obligation, SpecialRegistration, Violation

SOURCE = Path(__file__).parents[2] / "src" / "nseers"
BUILDER = SOURCE / "services" / "rows.py"
MODELS: dict[str, type[Base]] = {model.__name__: model for model in (
    Person, Citizenship, PersonName, TravelDocument, Encounter, SpecialRegistration,
    Obligation, I94Record, Violation)}
MODULE_OF = {name: model.__module__ for name, model in MODELS.items()}


def links(model: type[Base]) -> set[str]:
    """What a writer may set on a row it did not build: relationships and foreign keys."""
    mapper = inspect(model)
    return set(mapper.relationships.keys()) | {
        column.key for column in model.__table__.columns if column.foreign_keys}


LINKS_OF_TABLE = {model.__tablename__: links(model) for model in MODELS.values()}


def model_names(tree: ast.Module) -> tuple[dict[str, str], set[str]]:
    """The local names bound to the models (``from nseers.registry.people import Person``)
    and to the registry modules that define them (``from nseers.registry import people``)."""
    names: dict[str, str] = {}
    modules: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or node.module is None:
            continue
        for alias in node.names:
            local = alias.asname or alias.name
            if MODULE_OF.get(alias.name) == node.module:
                names[local] = alias.name
            if f"{node.module}.{alias.name}" in MODULE_OF.values():
                modules.add(local)
    return names, modules


def called_model(call: ast.Call, names: dict[str, str], modules: set[str]) -> str | None:
    func = call.func
    if isinstance(func, ast.Name) and func.id in names:
        return names[func.id]
    if isinstance(func, ast.Attribute) and func.attr in MODELS \
            and isinstance(func.value, ast.Name) and func.value.id in modules:
        return func.attr
    return None


def literal_columns(value: ast.expr, table: str) -> list[str]:
    """The columns a dictionary literal in ``value`` spells out beyond the table's links;
    ``row | {"person_id": ...}`` links, ``{"surname": ...}`` builds."""
    if isinstance(value, ast.Dict):
        # A key that is not a plain string is a column computed in place: building too.
        keys = [k.value if isinstance(k, ast.Constant) else ast.unparse(k)
                for k in value.keys if k is not None]
        return sorted(str(k) for k in keys if k not in LINKS_OF_TABLE[table])
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.BitOr):
        return literal_columns(value.left, table) + literal_columns(value.right, table)
    return []


def table_of(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and node.value in LINKS_OF_TABLE:
        return str(node.value)
    return None


def rows_built(source: str, name: str) -> list[str]:
    """Where the module ``source`` (named ``name``) builds a row of a builder's table."""
    tree = ast.parse(source, name)
    names, modules = model_names(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        where = f"{name}:{node.lineno}"
        model = called_model(node, names, modules)
        if model is not None:
            allowed = links(MODELS[model])
            columns = sorted(k.arg for k in node.keywords
                             if k.arg is not None and k.arg not in allowed)
            from_row = any(k.arg is None for k in node.keywords)
            if node.args or columns or not from_row:
                found.append(f"{where}: {model}({', '.join(columns) or '...'})")
            continue
        func = node.func
        if not isinstance(func, ast.Attribute) or not node.args:
            continue
        # The batch writer: self._add("persons", {...}) and self.rows["persons"].append({...}).
        if func.attr == "_add" and len(node.args) == 2 and table_of(node.args[0]):
            table, value = table_of(node.args[0]), node.args[1]
        elif func.attr == "append" and isinstance(func.value, ast.Subscript) \
                and table_of(func.value.slice):
            table, value = table_of(func.value.slice), node.args[0]
        else:
            continue
        assert table is not None
        columns = literal_columns(value, table)
        if columns:
            found.append(f"{where}: {table} row with {', '.join(columns)}")
    return found


def modules() -> list[Path]:
    return sorted(p for p in SOURCE.rglob("*.py")
                  if p != BUILDER and "migrations" not in p.parts)


def test_no_module_but_the_row_builder_builds_a_registry_row() -> None:
    built = [found for path in modules()
             for found in rows_built(path.read_text(encoding="utf-8"),
                                     str(path.relative_to(SOURCE)))]
    assert built == []


@pytest.mark.parametrize(("source", "expected"), [
    ('from nseers.registry.people import Person\nPerson(surname="A", created_at=now)\n',
     ["Person(created_at, surname)"]),
    ('from nseers.registry.people import Person\nPerson(**person_row(facts))\n', []),
    ('from nseers.registry import encounters\nencounters.Encounter(person_id=1)\n',
     ["Encounter(...)"]),
    (('from nseers.registry.registrations import Violation\n'
      'Violation(person=p, **violation_row(kind="x"), willfulness="willful")\n'),
     ["Violation(willfulness)"]),
    ('from nseers.rules.obligations import Obligation\nObligation("kind", "required")\n', []),
    ('self._add("persons", {"surname": s, "created_at": t})\n',
     ["persons row with created_at, surname"]),
    ('self._add("persons", person_row(facts))\n', []),
    ('self._add("person_names", name | {"person_id": 1, "kind": "alias"})\n',
     ["person_names row with kind"]),
    ('self.rows["person_citizenships"].append({"person_id": 1, "country": "IRN"})\n',
     ["person_citizenships row with country"]),
    ('self.rows["person_citizenships"].append(row | {"person_id": 1})\n', []),
])
def test_the_check_tells_building_from_linking(source: str, expected: list[str]) -> None:
    assert [found.split(": ", 1)[1] for found in rows_built(source, "probe.py")] == expected
