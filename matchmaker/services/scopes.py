"""A cadre's scope as SQL: the one subquery of region ids that every list and check narrows by.

An admin sees everything, a cadre its own village or township and what lies below, anyone else
no region at all. `permissions.region_in_scope` is the same rule for one loaded region.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, Select, false, select

from matchmaker import permissions
from matchmaker.extensions import db
from matchmaker.models import Region, RegionLevel, Role, User


def region_ids_within(region: Region) -> Select:
    """The ids of the region and its descendants (path prefix), as a subquery to test `in_`."""
    return select(Region.id).where(Region.path.startswith(region.path))


def cadre_region_ids(user: User) -> Select | None:
    """The ids of the regions the user may see: None for an admin (no limit)."""
    if permissions.is_admin(user):
        return None
    if user.role != Role.CADRE or user.region is None:
        return select(Region.id).where(false())
    return region_ids_within(user.region)


def in_cadre_scope(column: ColumnElement, user: User) -> list[ColumnElement]:
    """The WHERE clause (none for an admin) keeping rows whose region `column` the user sees."""
    places = cadre_region_ids(user)
    return [] if places is None else [column.in_(places)]


def villages_in_scope(user: User) -> list[Region]:
    """The villages the user may see, by code: the choices of a cadre's village filters."""
    query = select(Region).where(Region.level == RegionLevel.VILLAGE,
                                 *in_cadre_scope(Region.id, user))
    return list(db.session.scalars(query.order_by(Region.code)))
