"""Records of help delivered, whatever their kind: who sees them, verification, lists, changes."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy import Select, select, update

from matchmaker import labels, permissions
from matchmaker.errors import Invalid, InvalidTransition, NotFound
from matchmaker.extensions import db
from matchmaker.models import (
    Activity, Donation, Organization, Placement, Purchase, Region, Role, User,
    VerificationStatus,
)
from matchmaker.models.base import utcnow
from matchmaker.services import audit, notifications, scopes
from matchmaker.services.regions import region_field
from matchmaker.services.registry.orgs import organization_of

#: the record kinds of the API, their models and their names in messages
KINDS = {"activity": Activity, "donation": Donation, "placement": Placement, "purchase": Purchase}
NAMES = {"activity": "活动记录", "donation": "捐赠记录", "placement": "就业记录",
         "purchase": "消费帮扶记录"}
STATUS_NAMES = labels.VERIFICATION_STATUS


def kind_of(record) -> str:
    return next(kind for kind, model in KINDS.items() if isinstance(record, model))


#: what a user who acts for no organization is told it cannot do (orgs.organization_of)
RECORDING = "记录帮扶"


# -- who sees and who verifies ------------------------------------------------------------------

def can_see(user: User, record) -> bool:
    """The organizer of the record's organization; a cadre or admin whose scope holds its place."""
    if user.role == Role.ORGANIZER:
        return permissions.is_organizer_of(user, record.organization_id)
    return can_verify(user, record)


def can_verify(user: User, record) -> bool:
    """A cadre whose village or township holds the record's place, or an admin (API.md)."""
    return permissions.region_in_scope(user, db.session.get(Region, record.village_id))


def record_for(kind: str, record_id: int, user: User):
    """The record, if the user may see it; otherwise NotFound, as if it did not exist."""
    record = db.session.get(KINDS[kind], record_id)
    if record is None or not can_see(user, record):
        raise NotFound(f"找不到该{NAMES[kind]}")
    return record


def own_record(kind: str, record_id: int, user: User):
    """A record of the organizer's own organization, to change it."""
    organization_id = organization_of(user, RECORDING)
    record = record_for(kind, record_id, user)
    if record.organization_id != organization_id:
        raise NotFound(f"找不到该{NAMES[kind]}")
    return record


def records_query(kind: str, user: User, args) -> Select:
    """The records the user may see, newest first; ?status= ?village= ?from= ?to= narrow them."""
    model = KINDS[kind]
    query = select(model).order_by(model.date.desc(), model.id.desc())
    if user.role == Role.ORGANIZER:
        query = query.where(model.organization_id == user.organization_id)
    else:
        query = query.where(*scopes.in_cadre_scope(model.village_id, user))
    if args.get("status"):
        if args["status"] not in STATUS_NAMES:
            raise Invalid({"status": "状态须为 pending、verified 或 rejected"})
        query = query.where(model.status == args["status"])
    if args.get("village"):
        places = scopes.region_ids_within(region_field(args["village"], "village"))
        query = query.where(model.village_id.in_(places))
    for name, compare in (("from", model.date.__ge__), ("to", model.date.__le__)):
        if args.get(name):
            query = query.where(compare(_date_arg(name, args[name])))
    return query




def _date_arg(name: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise Invalid({name: "日期格式须为 YYYY-MM-DD"}) from exc


# -- verification -------------------------------------------------------------------------------

def verify_record(kind: str, record_id: int, user: User):
    """A pending record is verified by a cadre of its place; only now does it count."""
    record = _pending_for_verifier(kind, record_id, user)
    record.verify(user.id)
    db.session.flush()
    audit.record(f"{kind}.verify", user.id, record)
    _tell_organization(kind, record, None)
    return record


def reject_record(kind: str, record_id: int, user: User, reason: str):
    """A pending record is rejected with the reason; it no longer counts nor holds a need."""
    record = _pending_for_verifier(kind, record_id, user)
    record.reject(user.id, reason)
    if kind == "placement":  # a rejected hire did not happen: its opening goes back to the offer
        from matchmaker.services.records.placements import give_opening_back

        give_opening_back(record, user)
    db.session.flush()
    audit.record(f"{kind}.reject", user.id, record, reason=reason)
    _tell_organization(kind, record, reason)
    return record


def tell_verifiers(record) -> None:
    """The cadres of the record's place hear that a new record waits for them (once each)."""
    kind = kind_of(record)
    organization = db.session.get(Organization, record.organization_id)
    late = "(补录)" if record.late_entry else ""
    notifications.notify(
        notifications.cadres_of(record.village_id), "record.pending",
        f"有{NAMES[kind]}待核实{late}:{record.date:%Y-%m-%d}",
        organization.name if organization else None, "/cadre/verification", obj=record)


def _tell_organization(kind: str, record, reason: str | None) -> None:
    """The record's organization hears that it was verified, or rejected and why."""
    outcome = STATUS_NAMES[record.status.value]
    notifications.notify(
        notifications.organizers_of(record.organization_id), f"record.{record.status.value}",
        f"{NAMES[kind]}{outcome}:{record.date:%Y-%m-%d}", reason, None, obj=record)


def _pending_for_verifier(kind: str, record_id: int, user: User):
    record = db.session.get(KINDS[kind], record_id)
    if record is None or not can_verify(user, record):
        raise NotFound(f"找不到该{NAMES[kind]}")
    hold_pending(record)
    return record


def hold_pending(record) -> None:
    """Lock the row while it is pending: of two verifiers at once, one decides."""
    model = type(record)
    if not db.session.execute(
            update(model).where(model.id == record.id,
                                model.status == VerificationStatus.PENDING)
            .values(updated_at=utcnow()),
            execution_options={"synchronize_session": False}).rowcount:
        db.session.refresh(record)
        raise InvalidTransition(f"该记录{STATUS_NAMES[record.status.value]},不能再核实或驳回")
    db.session.refresh(record)


# -- changes ------------------------------------------------------------------------------------

def reopen_if_decided(record, user: User) -> bool:
    """A changed record that was verified (or rejected) goes back to pending, to verify anew."""
    if record.status == VerificationStatus.PENDING:
        return False
    previous = record.status.value
    record.reopen()
    audit.record(f"{kind_of(record)}.reopen", user.id, record, previous=previous)
    return True


def record_changes(record, before: dict, after: dict, user: User) -> list[str]:
    """An edit of a record: if any field changed, the record goes back to pending and the change
    is audited. Returns the names of the fields that changed."""
    changed = sorted(name for name in after if before[name] != after[name])
    if changed:
        reopen_if_decided(record, user)
        audit.record(f"{kind_of(record)}.update", user.id, record, fields=changed)
    db.session.flush()
    return changed


def replace_links(table: sa.Table, owner_id: int, column: str, ids: list[int]) -> None:
    """Set the record's rows of a link table (its first column is the record's id)."""
    owner = table.c[0]
    db.session.execute(sa.delete(table).where(owner == owner_id))
    if ids:
        db.session.execute(sa.insert(table), [{owner.name: owner_id, column: i} for i in ids])


def linked_ids(table: sa.Table, owner_id: int, column: str) -> list[int]:
    return list(db.session.scalars(select(table.c[column]).where(table.c[0] == owner_id)
                                   .order_by(table.c[column])))


def refuse_if_rejected(record) -> None:
    if record.status == VerificationStatus.REJECTED:
        raise InvalidTransition("该记录已被驳回,请修改后重新提交")
