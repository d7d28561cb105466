"""Organizer pages for donations, placements and purchases, and the list of their verification.

An organizer never sees household records: the households and members helped are chosen
through the needs the organization claimed or was matched to, and derived from them here; the
page then posts the same body the API takes, through the same form classes and services.
"""
from __future__ import annotations

import re
from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from matchmaker import labels
from matchmaker.auth import roles_required
from matchmaker.errors import DomainError, Invalid
from matchmaker.extensions import db
from matchmaker.forms.records import DonationForm, FollowUpForm, PlacementForm, PurchaseForm
from matchmaker.models import Member, Need, NeedKind, Offer, OfferKind, Region, Role
from matchmaker.serializers import household_ref, public_need
from matchmaker.services.names import values_by_id
from matchmaker.services.regions import regions_at
from matchmaker.services.registry import orgs
from matchmaker.services.records import (
    donations as records_donations,
    placements as records_placements,
    verification as records,
)
from matchmaker.services.records import delivery_choices as choices
from matchmaker.services.records.rules import PLACES
from matchmaker.web.actions import attempt
from matchmaker.web.organizer import bp, organization_required

GOODS_ROWS = 5
GOODS_FIELDS = ("item", "unit", "quantity", "value_yuan")
DONATION_FIELDS = ("team_id", "offer_id", "village_code", "date", "money_yuan", "note")
PLACEMENT_FIELDS = ("offer_id", "start_date", "wage_yuan_month")
PURCHASE_FIELDS = ("offer_id", "village_code", "date", "product", "unit", "quantity", "yuan",
                   "note")
DONATION_NEEDS = records_donations.DONATION_NEEDS
DONATION_OFFERS = records_donations.DONATION_OFFERS
NOT_HELD = "只能选择本组织认领或对接的需求"
ELSEWHERE = "所选需求的农户不在所填的村(社区)或乡镇"
#: the API's fields the page does not show, and where (with what message) their errors go
DONATION_ALIASES = {"household_ids": ("need_ids", ELSEWHERE)}
PLACEMENT_ALIASES = {"member_id": ("need_id", None), "need_id": ("need_id", None)}
PURCHASE_ALIASES = {"household_ids": ("need_ids", ELSEWHERE),
                    "sellers": ("need_ids", "请选择出售农户对应的农产品待售需求")}
LIST_LIMIT = 100


# -- the page as the API's body -----------------------------------------------------------------

def _filled(names) -> dict[str, str]:
    """The named inputs that were filled in, trimmed."""
    data = {name: request.form.get(name, "").strip() for name in names}
    return {name: value for name, value in data.items() if value}


def chosen_needs(held: list[Need], ids: list[str], field: str) -> list[Need]:
    """The needs ticked on the page: only ever the organization's own (a forged id is refused)."""
    by_id = {str(need.id): need for need in held}
    ids = [value.strip() for value in ids if value.strip()]
    if any(value not in by_id for value in ids):
        raise Invalid({field: NOT_HELD})
    return [by_id[value] for value in dict.fromkeys(ids)]


def _served(data: dict, needs: list[Need]) -> dict:
    """need_ids and household_ids from the ticked needs; their village when none was chosen."""
    data["need_ids"] = [need.id for need in needs]
    data["household_ids"] = list(dict.fromkeys(need.household_id for need in needs))
    if needs and "village_code" not in data:
        data["village_code"] = db.session.get(Region, needs[0].village_id).code
    return data


def _goods_lines() -> tuple[list[dict], list[int]]:
    """The goods rows with anything typed in, and the row each came from (blank rows skipped)."""
    lines, rows = [], []
    for row in range(GOODS_ROWS):
        line = _filled(f"goods-{row}-{name}" for name in GOODS_FIELDS)
        if line:
            lines.append({name.rsplit("-", 1)[1]: value for name, value in line.items()})
            rows.append(row)
    return lines, rows


def _page_errors(fields: dict[str, str], aliases: dict, goods_rows: list[int] = ()) -> dict:
    """The API's field errors under the page's names: goods[1] of the body is the page's row."""
    shown: dict[str, str] = {}
    for name, message in fields.items():
        match = re.match(r"goods\[(\d+)\]\.(\w+)$", name)
        if match and int(match[1]) < len(goods_rows):
            name = f"goods[{goods_rows[int(match[1])]}].{match[2]}"
        target, replacement = aliases.get(name, (name, None))
        shown.setdefault(target, replacement or message)
    return shown


def _record_page(template: str, save, aliases: dict, success: str, **context):
    """GET shows the form; POST saves it as the API would, commits, and goes to the list."""
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            save()
        except DomainError as exc:  # 422 for a field, 409 for a hire already recorded
            db.session.rollback()
            errors = _page_errors(exc.fields or {"_": exc.message}, aliases,
                                  context.get("goods_rows", ()))
            status = exc.status
        else:
            db.session.commit()
            flash(success, "success")
            return redirect(url_for("organizer.list_deliveries"))
    places = regions_at(*PLACES)
    return render_template(template, errors=errors, values=request.form, places=places,
                           today=date.today().isoformat(), **context), status


def _needs_shown(needs: list[Need]) -> list[dict]:
    return [public_need(need) for need in needs]


# -- the forms ----------------------------------------------------------------------------------

@bp.route("/donations/new", methods=["GET", "POST"])
@roles_required(Role.ORGANIZER)
def new_donation():
    organization, redirect_to = organization_required()
    if redirect_to:
        return redirect_to
    held = choices.held_needs(organization.id, DONATION_NEEDS)
    goods, rows = _goods_lines()

    def save():
        data = _served({**_filled(DONATION_FIELDS), "goods": goods},
                       chosen_needs(held, request.form.getlist("need_ids"), "need_ids"))
        form = DonationForm.from_json(data).validated()
        records_donations.create_donation(form.data, current_user)

    return _record_page("organizer/donation_form.html", save, DONATION_ALIASES,
                        "捐赠已记录,等待村干部核实后计入公开数据", needs=_needs_shown(held),
                        goods_rows=rows, rows=range(GOODS_ROWS),
                        teams=db.session.scalars(orgs.teams_query(current_user)).all(),
                        offers=choices.own_offers(organization.id, DONATION_OFFERS))


@bp.route("/placements/new", methods=["GET", "POST"])
@roles_required(Role.ORGANIZER)
def new_placement():
    organization, redirect_to = organization_required()
    if redirect_to:
        return redirect_to
    held = choices.held_needs(organization.id, (NeedKind.JOB,), named_member=True)

    def save():
        data = _filled(PLACEMENT_FIELDS)
        need = chosen_needs(held, [request.form.get("need_id", "")], "need_id")
        if need:  # the member to hire is the one the job need names
            data.update(need_id=need[0].id, member_id=need[0].member_id)
        form = PlacementForm.from_json(data).validated()
        records_placements.create_placement(form.data, current_user)

    return _record_page("organizer/placement_form.html", save, PLACEMENT_ALIASES,
                        "就业已记录,占用一个岗位名额,等待村干部核实", needs=_needs_shown(held),
                        offers=choices.fillable_job_offers(organization.id, held))


@bp.route("/purchases/new", methods=["GET", "POST"])
@roles_required(Role.ORGANIZER)
def new_purchase():
    organization, redirect_to = organization_required()
    if redirect_to:
        return redirect_to
    held = choices.held_needs(organization.id, (NeedKind.PRODUCE,))

    def save():
        data = _served(_filled(PURCHASE_FIELDS),
                       chosen_needs(held, request.form.getlist("need_ids"), "need_ids"))
        form = PurchaseForm.from_json(data).validated()
        records_donations.create_purchase(form.data, current_user)

    return _record_page("organizer/purchase_form.html", save, PURCHASE_ALIASES,
                        "认购已记录,金额平均计入所选农户,等待村干部核实", needs=_needs_shown(held),
                        offers=choices.own_offers(organization.id, (OfferKind.PURCHASE,)))


# -- the list and the follow-ups ----------------------------------------------------------------

def _own(kind: str) -> list:
    return db.session.scalars(records.records_query(kind, current_user, {})
                              .limit(LIST_LIMIT)).all()


def _follow_ups(placement) -> list[tuple[int, bool | None, date]]:
    """(months, still employed or None when not asked yet, the day it may be asked)."""
    return [(months, getattr(placement, f"employed_at_{months}_months"),
             records_placements.add_months(placement.date, months)) for months in (3, 6)]


@bp.get("/deliveries")
@roles_required(Role.ORGANIZER)
def list_deliveries():
    organization, redirect_to = organization_required()
    if redirect_to:
        return redirect_to
    donations, placements, purchases = _own("donation"), _own("placement"), _own("purchase")
    every = [*donations, *placements, *purchases]
    households = values_by_id(Member.household_id, (p.member_id for p in placements))
    return render_template(
        "organizer/deliveries_list.html", donations=donations, purchases=purchases,
        placements=[(p, household_ref(households[p.member_id]), _follow_ups(p))
                    for p in placements],
        villages=values_by_id(Region.name, (record.village_id for record in every)),
        offers=values_by_id(Offer.title, (p.offer_id for p in placements)),
        today=date.today(), statuses=labels.VERIFICATION_STATUS)


@bp.post("/placements/<int:placement_id>/follow-up")
@roles_required(Role.ORGANIZER)
def follow_up_placement(placement_id: int):
    def answer(data):
        placement = records.own_record("placement", placement_id, current_user)
        return records_placements.follow_up(placement, data, current_user)

    return attempt(FollowUpForm(), answer,
                   lambda p: f"已记录入职满{request.form.get('months')}个月的回访",
                   url_for("organizer.list_deliveries", _anchor="placements"))
