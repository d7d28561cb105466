"""Cadre pages for needs and micro-wishes: list, publish, review, receipt, cancel."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from matchmaker import jobs, labels
from matchmaker.errors import DomainError
from matchmaker.extensions import db
from matchmaker.forms import BaseForm, choices
from matchmaker.forms.needs import NeedForm, ReasonForm, ReceiptForm
from matchmaker.models import Household, Need
from matchmaker.services.registry import households
from matchmaker.services.market import matches, needs
from matchmaker.services.market.need_queries import need_villages, scoped_needs
from matchmaker.web.actions import attempt
from matchmaker.web.cadre import bp

#: action → (service, form, the form's field passed on, message when done)
ACTIONS = {"fulfil": (needs.fulfil, ReceiptForm, "note", "已记录签收"),
           "cancel": (needs.cancel, ReasonForm, "reason", "已取消"),
           "approve": (needs.approve, BaseForm, None, "已审核通过,需求已公开"),
           "reject": (needs.reject_review, ReasonForm, "reason", "已退回,发布人会收到理由")}
#: the list's filters, kept across an action
FILTERS = ("status", "kind", "region")


def _filters(args) -> dict:
    return {name: args[name] for name in FILTERS if args.get(name)}


@bp.get("/needs")
def list_needs():
    rows = db.session.scalars(scoped_needs(current_user, request.args).limit(200).options(
        selectinload(Need.household).selectinload(Household.village))).all()
    return render_template(
        "cadre/needs_list.html", needs=rows, filters=_filters(request.args),
        villages=need_villages(current_user), may_receive=needs.may_receive,
        may_review=lambda need: needs.may_review(current_user, need))


@bp.route("/households/<int:household_id>/needs/new", methods=["GET", "POST"])
def new_need(household_id: int):
    household = households.household_for(current_user, household_id)
    form = NeedForm(data={"household_id": household.id})
    if form.validate_on_submit():
        try:
            need = needs.create_need(form.data, current_user)
        except DomainError as exc:
            db.session.rollback()
            for name, message in exc.fields.items():
                getattr(form, name, form.title).errors.append(message)
        else:
            db.session.commit()
            jobs.enqueue("announce_need", need.id, user_id=current_user.id)
            flash("已发布" if need.status == "open" else "已提交乡镇审核", "success")
            return redirect(url_for("cadre.list_needs"))
    members = choices({"": "—", **{str(m.id): m.name for m in household.members}})
    return render_template("cadre/need_form.html", form=form, household=household,
                           members=members), 422 if form.errors else 200


@bp.post("/needs/<int:need_id>/<action>")
def act_on_need(need_id: int, action: str):
    """Receipt, cancel, approve or send back; the list comes back with its filters."""
    back = url_for("cadre.list_needs", **_filters(request.args))
    if action not in ACTIONS:
        return redirect(back)
    function, form_class, field, done = ACTIONS[action]
    need = needs.need_for(current_user, need_id)
    return attempt(form_class(), lambda data: function(
        need, current_user, *([data[field]] if field else [])), done, back)


@bp.get("/matches")
def list_matches():
    """The proposals the matching made for the needs of the cadre's region, and their outcome."""
    status = request.args.get("status") or "proposed"
    if status not in labels.MATCH_STATUS:
        status = "proposed"
    rows = db.session.scalars(matches.visible_matches(current_user, status).limit(200)).all()
    return render_template("cadre/matches_list.html", matches=rows, status=status)
