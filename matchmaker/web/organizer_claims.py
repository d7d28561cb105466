"""Organizer pages for browsing and claiming needs, and the workbench."""
from flask import flash, render_template, request, url_for
from flask_login import current_user

from matchmaker import labels
from matchmaker.auth import roles_required
from matchmaker.errors import DomainError
from matchmaker.extensions import db
from matchmaker.forms.claims import ClaimForm, PledgeForm, ReleaseForm
from matchmaker.models import MatchStatus, NeedStatus, Role
from matchmaker.serializers import public_need
from matchmaker.services.market import claim_lists, claims, matches, takeovers
from matchmaker.services.market.need_queries import public_needs
from matchmaker.web.actions import attempt
from matchmaker.vocabularies import FITS
from matchmaker.web.organizer import bp, places

OFFER_KIND = labels.OFFER_KIND
CATEGORIES = labels.ALL_CATEGORIES
BROWSE_LIMIT = 200
PROPOSALS_SHOWN = 100


def _browse_args() -> dict:
    """Only the filters this page offers: open needs to claim, or claimed ones to take over."""
    args = {key: request.args.get(key, "").strip() for key in ("region", "kind", "category")}
    status = "claimed" if request.args.get("status") == "claimed" else "open"
    return {"status": status, **{key: value for key, value in args.items() if value}}


def _takeover_states(rows, organization_id: int | None) -> dict[int, tuple[str, list]]:
    """For each claimed need: ("mine", []) when the organization holds it itself, ("asked", [])
    when its takeover request waits for an answer, else ("others", the claims it may ask for)."""
    claimed = [need.id for need in rows if need.status != NeedStatus.OPEN]
    if not claimed or organization_id is None:
        return {}
    active = claim_lists.holders(claimed)
    asked = claim_lists.asked_for(claimed, organization_id)
    states = {}
    for need_id in claimed:
        holders = [row for row in active if row.need_id == need_id]
        if any(row.organization_id == organization_id for row in holders):
            states[need_id] = ("mine", [])
        elif need_id in asked:
            states[need_id] = ("asked", [])
        else:
            states[need_id] = ("others", [(row.id, row.name) for row in holders])
    return states


def needs_back() -> str:
    """The needs list as it was filtered when the form was sent."""
    return url_for("organizer.browse_needs", **_browse_args())


@bp.get("/needs")
@roles_required(Role.ORGANIZER)
def browse_needs():
    try:
        rows = db.session.scalars(public_needs(_browse_args()).limit(BROWSE_LIMIT)).all()
    except DomainError as exc:
        flash(exc.message, "error")
        rows = []
    organization_id = current_user.organization_id
    offers = claims.fitting_offers(organization_id) if organization_id else []
    states = _takeover_states(rows, organization_id)
    needs = [(public_need(need), [o for o in offers if o.kind in FITS[need.kind]],
              claims.still_needed(need), states.get(need.id, ("", []))) for need in rows]
    return render_template("organizer/needs_browse.html", needs=needs, regions=places(),
                           categories=CATEGORIES, offer_kinds=OFFER_KIND,
                           status=_browse_args()["status"], filters=_browse_args())


@bp.post("/needs/<int:need_id>/claim")
@roles_required(Role.ORGANIZER)
def claim_need(need_id: int):
    return attempt(ClaimForm(), lambda data: claims.claim_need(need_id, current_user, data),
                   lambda claim: f"认领成功,请在{claim.due_at:%Y-%m-%d}前完成帮扶并记录(见工作台)",
                   needs_back())


@bp.post("/needs/<int:need_id>/pledge")
@roles_required(Role.ORGANIZER)
def pledge_need(need_id: int):
    return attempt(PledgeForm(), lambda data: claims.pledge(need_id, current_user, data),
                   "认捐成功,需求认满后将转为已认领", needs_back())


@bp.get("/")
@roles_required(Role.ORGANIZER)
def workbench():
    organization_id = current_user.organization_id
    if organization_id is None:
        return render_template("organizer/workbench.html", offers=[], active=[], incoming=[],
                               outgoing=[], proposals=[], offer_kinds=OFFER_KIND)
    active = claim_lists.active_claims(organization_id)
    return render_template("organizer/workbench.html",
                           offers=claims.fitting_offers(organization_id),
                           active=[(claim, public_need(need), recorded)
                                   for claim, need, recorded in active],
                           incoming=takeovers.incoming_pending(organization_id),
                           outgoing=takeovers.outgoing_recent(organization_id),
                           proposals=db.session.scalars(matches.visible_matches(
                               current_user, MatchStatus.PROPOSED).limit(PROPOSALS_SHOWN)).all(),
                           offer_kinds=OFFER_KIND)


@bp.post("/claims/<int:claim_id>/release")
@roles_required(Role.ORGANIZER)
def release_claim(claim_id: int):
    return attempt(ReleaseForm(),
                   lambda data: claims.release_claim(claim_id, current_user, data["reason"]),
                   "已释放认领,需求重新开放", url_for("organizer.workbench"))
