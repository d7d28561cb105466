"""The cadre's queue of records to verify: activities, donations, placements and purchases."""
from flask import abort, render_template, url_for
from flask_login import current_user

from matchmaker.extensions import db
from matchmaker.forms import BaseForm
from matchmaker.forms.records import RejectForm
from matchmaker.models import Organization
from matchmaker.services.names import values_by_id
from matchmaker.services.records import verification as records
from matchmaker.services.records.verification_details import details_of
from matchmaker.web.actions import attempt
from matchmaker.web.cadre import bp

QUEUE_LIMIT = 100


@bp.get("/verification")
def verification_queue():
    """Pending records of the cadre's region, oldest first, each kind in its own table."""
    pending = {kind: list(reversed(_pending(kind))) for kind in records.KINDS}
    ids = {row.organization_id for rows in pending.values() for row in rows}
    names = values_by_id(Organization.name, ids)
    details = {(kind, row.id): details_of(kind, row)
               for kind, rows in pending.items() for row in rows}
    return render_template("cadre/verification_queue.html", pending=pending, details=details,
                           kinds=records.NAMES, organizations=names, reject=RejectForm())


def _pending(kind: str) -> list:
    query = records.records_query(kind, current_user, {"status": "pending"})
    return db.session.scalars(query.limit(QUEUE_LIMIT)).all()


@bp.post("/records/<kind>/<int:record_id>/verify")
def verify_record(kind: str, record_id: int):
    return attempt(BaseForm(), lambda data: records.verify_record(
        _kind(kind), record_id, current_user), "已核实,记录计入公开数据",
        url_for("cadre.verification_queue"))


@bp.post("/records/<kind>/<int:record_id>/reject")
def reject_record(kind: str, record_id: int):
    return attempt(RejectForm(), lambda data: records.reject_record(
        _kind(kind), record_id, current_user, data["reason"]), "已驳回,组织方会收到原因",
        url_for("cadre.verification_queue"))


def _kind(kind: str) -> str:
    if kind not in records.KINDS:
        abort(404)
    return kind
