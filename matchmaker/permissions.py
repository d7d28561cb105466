"""Pure predicates saying who may see or change what; views, API and templates all use them."""
from __future__ import annotations

from matchmaker.models import Region, Role, User


def is_admin(user: User) -> bool:
    return user.is_authenticated and user.role == Role.ADMIN


def region_in_scope(user: User, region: Region) -> bool:
    """An admin's scope is everything; a cadre's is its village or township and what lies below."""
    if is_admin(user):
        return True
    if not user.is_authenticated or user.role != Role.CADRE or user.region is None:
        return False
    return region.is_within(user.region)


def is_organizer_of(user: User, organization_id: int | None) -> bool:
    return (user.is_authenticated and user.role == Role.ORGANIZER
            and organization_id is not None and user.organization_id == organization_id)
