"""Organizer pages for browsing and claiming needs, and the workbench."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from matchmaker import labels
from matchmaker.api.schemas_needs import public_need
from matchmaker.auth import roles_required
from matchmaker.errors import DomainError
from matchmaker.extensions import db
from matchmaker.forms.claims import ClaimForm, ReleaseForm
from matchmaker.models import Claim, ClaimStatus, Need, Region, RegionLevel, Role
from matchmaker.services import claims
from matchmaker.services.need_queries import public_needs
from matchmaker.web.organizer import bp

OFFER_KIND = labels.OFFER_KIND
CATEGORIES = labels.ALL_CATEGORIES
BROWSE_LIMIT = 200


def _browse_args() -> dict:
    """Only the filters this page offers; the list is always of open needs."""
    args = {key: request.args.get(key, "").strip() for key in ("region", "kind", "category")}
    return {"status": "open", **{key: value for key, value in args.items() if value}}


@bp.get("/needs")
@roles_required(Role.ORGANIZER)
def browse_needs():
    try:
        rows = db.session.scalars(public_needs(_browse_args()).limit(BROWSE_LIMIT)).all()
    except DomainError as exc:
        flash(exc.message, "error")
        rows = []
    offers = claims.fitting_offers(current_user.organization_id) \
        if current_user.organization_id else []
    needs = [(public_need(need), [o for o in offers if o.kind in claims.FITS[need.kind]])
             for need in rows]
    regions = db.session.scalars(select(Region).where(Region.level.in_(
        (RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.VILLAGE))).order_by(Region.code))
    return render_template("organizer/needs_browse.html", needs=needs, regions=list(regions),
                           categories=CATEGORIES, offer_kinds=OFFER_KIND)


@bp.post("/needs/<int:need_id>/claim")
@roles_required(Role.ORGANIZER)
def claim_need(need_id: int):
    form = ClaimForm()
    if not form.validate():
        flash("；".join(str(errors[0]) for errors in form.errors.values()), "error")
        return redirect(url_for("organizer.browse_needs"))
    try:
        claim = claims.claim_need(need_id, current_user, form.data)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message or "认领失败", "error")
        return redirect(url_for("organizer.browse_needs"))
    db.session.commit()
    flash(f"认领成功,请在{claim.due_at:%Y-%m-%d}前完成帮扶并记录", "success")
    return redirect(url_for("organizer.workbench"))


@bp.get("/")
@roles_required(Role.ORGANIZER)
def workbench():
    organization_id = current_user.organization_id
    if organization_id is None:
        return render_template("organizer/workbench.html", offers=[], active=[],
                               release=ReleaseForm(), offer_kinds=OFFER_KIND)
    active = db.session.execute(
        select(Claim, Need, claims.has_record(Claim.need_id))
        .join(Need, Need.id == Claim.need_id)
        .where(Claim.organization_id == organization_id, Claim.status == ClaimStatus.ACTIVE)
        .order_by(Claim.due_at)).all()
    return render_template("organizer/workbench.html",
                           offers=claims.fitting_offers(organization_id),
                           active=[(claim, public_need(need), recorded)
                                   for claim, need, recorded in active],
                           release=ReleaseForm(), offer_kinds=OFFER_KIND)


@bp.post("/claims/<int:claim_id>/release")
@roles_required(Role.ORGANIZER)
def release_claim(claim_id: int):
    form = ReleaseForm()
    if not form.validate():
        flash(form.reason.errors[0] if form.reason.errors else "请填写释放原因", "error")
        return redirect(url_for("organizer.workbench"))
    claims.release_claim(claim_id, current_user, form.reason.data)
    db.session.commit()
    flash("已释放认领,需求重新开放", "success")
    return redirect(url_for("organizer.workbench"))
