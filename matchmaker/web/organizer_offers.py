"""Organizer pages for offers: the list with capacity left, post, edit and close."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from matchmaker.auth import roles_required
from matchmaker.extensions import db
from matchmaker.forms.offers import CAPACITY_FIELD, OfferForm, adapt_to_kind
from matchmaker.labels import ALL_CATEGORIES, OFFER_KIND, OFFER_STATUS
from matchmaker.models import Role
from matchmaker.services.market import offers
from matchmaker.services.registry import orgs
from matchmaker.web.organizer import attempt, bp, organization_required, page, places

LIST_LIMIT = 200


@bp.get("/offers")
@roles_required(Role.ORGANIZER)
def list_offers():
    _, redirect_to = organization_required()
    if redirect_to:
        return redirect_to
    rows = db.session.scalars(offers.offers_query(current_user).limit(LIST_LIMIT)).all()
    return render_template("organizer/offers_list.html", offers=rows, kinds=OFFER_KIND,
                           statuses=OFFER_STATUS, categories=ALL_CATEGORIES,
                           capacity_field=CAPACITY_FIELD)


def _form_page(form, kind: str, offer=None):
    shown = adapt_to_kind(form, kind)
    teams = db.session.scalars(orgs.teams_query(current_user)).all()
    return page("organizer/offer_form.html", form, kind=kind, kinds=OFFER_KIND, shown=shown,
                teams=teams, places=places(), offer=offer)


@bp.route("/offers/new", methods=["GET", "POST"])
@roles_required(Role.ORGANIZER)
def new_offer():
    _, redirect_to = organization_required()
    if redirect_to:
        return redirect_to
    kind = request.args.get("kind") if request.args.get("kind") in OFFER_KIND else "service"
    form = OfferForm(data={"kind": kind})
    adapt_to_kind(form, kind)
    if form.validate_on_submit() and attempt(
            form, lambda: offers.create_offer(form.data, current_user)):
        flash("供给已发布", "success")
        return redirect(url_for("organizer.list_offers"))
    return _form_page(form, kind)


@bp.route("/offers/<int:offer_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ORGANIZER)
def edit_offer(offer_id: int):
    offer = offers.offer_for(current_user, offer_id)
    form = OfferForm(data=offers.edit_data(offer))
    adapt_to_kind(form, offer.kind.value)
    if form.validate_on_submit() and attempt(
            form, lambda: offers.update_offer(offer, form.data, current_user)):
        flash("供给已修改", "success")
        return redirect(url_for("organizer.list_offers"))
    return _form_page(form, offer.kind.value, offer)


@bp.post("/offers/<int:offer_id>/close")
@roles_required(Role.ORGANIZER)
def close_offer(offer_id: int):
    offers.close_offer(offers.offer_for(current_user, offer_id), current_user)
    db.session.commit()
    flash("供给已关闭", "success")
    return redirect(url_for("organizer.list_offers"))
