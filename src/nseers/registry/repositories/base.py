"""The session and the helpers the query classes share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, FromClause, select
from sqlalchemy.orm import Session

R = TypeVar("R")


def labelled(record: type[Any], table: FromClause, prefix: str) -> list[Any]:
    """The columns of ``table`` that ``record``'s fields name, labelled ``prefix_name``."""
    return [table.c[f.name].label(f"{prefix}_{f.name}") for f in fields(record)]


def unlabelled(record: type[R], row: Any, prefix: str) -> R:
    """``record`` from the columns of ``row`` that :func:`labelled` named."""
    mapping = row._mapping
    return record(**{f.name: mapping[f"{prefix}_{f.name}"]
                     for f in fields(record)})  # type: ignore[arg-type]


class Queries:
    """The session every query class reads through, and the column-by-field reader."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def _read(self, record: type[R], table: FromClause, *where: ColumnElement[bool],
              order: Sequence[str]) -> list[R]:
        """``record`` for each row of ``table`` that ``where`` selects: the columns named
        by the record's fields, ordered by the columns ``order`` names."""
        names = [f.name for f in fields(record)]  # type: ignore[arg-type]
        query = select(*(table.c[name] for name in names)).where(*where).order_by(
            *(table.c[name] for name in order))
        return [record(**row._mapping) for row in self._session.execute(query)]
