"""Small look-ups for the lists pages show: {id: value} of the rows a list refers to."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from matchmaker.extensions import db


def values_by_id(column, ids: Iterable[int]) -> dict[int, object]:
    """{id: column's value} of the rows of column's table with these ids, read in one query."""
    wanted = set(ids)
    if not wanted:
        return {}
    model = column.class_
    return dict(db.session.execute(select(model.id, column).where(model.id.in_(wanted))).all())
