"""Organizer pages for records: log an activity with a whole team's hours in one form."""
from datetime import date
from decimal import Decimal, InvalidOperation
from io import BytesIO

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from matchmaker import labels
from matchmaker.auth import roles_required
from matchmaker.errors import DomainError, Invalid
from matchmaker.extensions import db
from matchmaker.forms.records import ActivityForm
from matchmaker.models import Region, Role
from matchmaker.serializers import public_need
from matchmaker.services.records import (
    activities as records_activities,
    certificate_pdf,
    certificates,
    verification as records,
)
from matchmaker.services.regions import regions_at
from matchmaker.services.registry import orgs
from matchmaker.services.records import delivery_choices as choices
from matchmaker.services.records.rules import PLACES, plain
from matchmaker.web.organizer import bp
from matchmaker.web.organizer_deliveries import ELSEWHERE, chosen_needs

FIELDS = ("team_id", "date", "start_time", "end_time", "title", "category", "village_code",
          "extra_beneficiaries", "note")
UNTICKED = "填写了时长但未勾选参加:{names};请勾选或清空时长"


def _hours_of(form, volunteer, same: str) -> str:
    return form.get(f"h-{volunteer.id}", "").strip() or same


def _ticked(form, volunteers) -> list:
    return [v for v in volunteers if form.get(f"v-{v.id}")]


def _payload(form, volunteers, held) -> dict:
    """The posted page as the API's body: one hours line per volunteer ticked as present (nobody
    is present until ticked); an empty hours box takes the common hours; the claims ticked name
    their needs, and their village when no place was chosen."""
    data = {name: form.get(name, "").strip() for name in FIELDS}
    data = {name: value for name, value in data.items() if value != ""}
    same = form.get("same_hours", "").strip()
    data["hours"] = [{"volunteer_id": v.id, "hours": _hours_of(form, v, same)}
                     for v in _ticked(form, volunteers)]
    needs = chosen_needs(held, form.getlist("need_ids"), "need_ids")
    data["need_ids"] = [need.id for need in needs]
    if needs and "village_code" not in data:
        data["village_code"] = db.session.get(Region, needs[0].village_id).code
    return data


def _refuse_unticked(form, volunteers) -> None:
    """Hours typed for someone not ticked would silently not count: say so instead."""
    names = [v.name for v in volunteers if form.get(f"h-{v.id}", "").strip()
             and not form.get(f"v-{v.id}")]
    if names:
        raise Invalid({"hours": UNTICKED.format(names="、".join(names))})


def hours_total(form, volunteers) -> tuple[int, str]:
    """How many volunteers are ticked and their hours together, as the page will send them."""
    same, total = form.get("same_hours", "").strip(), Decimal(0)
    ticked = _ticked(form, volunteers)
    for volunteer in ticked:
        try:
            hours = Decimal(_hours_of(form, volunteer, same))
        except InvalidOperation:
            continue
        total += hours if hours.is_finite() and hours > 0 else 0
    return len(ticked), plain(total)


def _page_errors(fields: dict[str, str], ticked: list) -> tuple[dict[str, str], set[int]]:
    """One message per field: the hours lines' problems together, naming the volunteers."""
    errors, rows, by_message = {}, set(), {}
    for name, message in fields.items():
        if name.startswith("hours["):
            volunteer = ticked[int(name[6:name.index("]")])]
            rows.add(volunteer.id)
            by_message.setdefault(message, []).append(volunteer.name)
        elif name == "need_ids" and message.startswith("编号"):
            errors[name] = ELSEWHERE
        else:
            errors[name] = message
    lines = [f"{message}:{'、'.join(names)}" for message, names in by_message.items()]
    if lines:
        errors["hours"] = ";".join(([errors["hours"]] if "hours" in errors else []) + lines)
    return errors, rows


def _places(team) -> tuple[list[Region], list[Region], str]:
    """The places under the team's own region first; the team's place is the default when it
    is a village or township (a county team chooses one of its places)."""
    every = regions_at(*PLACES)
    if team is None:
        return [], list(every), ""
    home = team.region
    own = [place for place in every if place.is_within(home)]
    return own, [p for p in every if p not in own], home.code if home.level in PLACES else ""


def _held():
    if current_user.organization_id is None:
        return []
    return choices.held_needs(current_user.organization_id, records_activities.NEED_KINDS)


def _save(volunteers, held) -> None:
    _refuse_unticked(request.form, volunteers)
    form = ActivityForm.from_json(_payload(request.form, volunteers, held)).validated()
    records_activities.create_activity(form.data, current_user)


@bp.route("/activities/new", methods=["GET", "POST"])
@roles_required(Role.ORGANIZER)
def new_activity():
    teams = db.session.scalars(orgs.teams_query(current_user)).all()
    chosen = request.values.get("team_id", type=int) or (teams[0].id if teams else None)
    team = next((t for t in teams if t.id == chosen), None)
    volunteers = db.session.scalars(orgs.volunteers_query(team)).all() if team else []
    held = _held()
    errors, error_rows, status = {}, set(), 200
    if request.method == "POST" and not request.form.get("preview"):
        try:
            _save(volunteers, held)
        except DomainError as exc:
            db.session.rollback()
            errors, error_rows = _page_errors(exc.fields or {"_": exc.message},
                                              _ticked(request.form, volunteers))
            status = exc.status
        else:
            db.session.commit()
            flash("活动已记录,等待村干部核实后计入公开数据", "success")
            return redirect(url_for("organizer.list_activities"))
    own_places, other_places, home = _places(team)
    return render_template(
        "organizer/activity_form.html", teams=teams, team=team, volunteers=volunteers,
        own_places=own_places, other_places=other_places, errors=errors, error_rows=error_rows,
        values=request.form, posted=request.method == "POST", home=home,
        claims=[public_need(need) for need in held], total=hours_total(request.form, volunteers),
        categories=labels.SERVICE_CATEGORY), status


@bp.get("/activities")
@roles_required(Role.ORGANIZER)
def list_activities():
    rows = db.session.scalars(records.records_query("activity", current_user, {})
                              .limit(100)).all() if current_user.organization_id else []
    return render_template("organizer/activities_list.html", activities=rows)


def _certificate_period() -> tuple[date, date]:
    """?from=&to= of a certificate; this year to today when absent or malformed."""
    today = date.today()
    try:
        return (date.fromisoformat(request.args.get("from") or f"{today.year}-01-01"),
                date.fromisoformat(request.args.get("to") or today.isoformat()))
    except ValueError:
        flash("日期格式须为 YYYY-MM-DD", "error")
        return date(today.year, 1, 1), today


@bp.get("/volunteers/<int:volunteer_id>/certificate")
@roles_required(Role.ORGANIZER)
def volunteer_certificate(volunteer_id: int):
    """The printable 志愿服务记录证明 of a volunteer for a period (this year by default)."""
    shown = certificates.certificate(volunteer_id, current_user, *_certificate_period())
    return render_template("organizer/certificate.html", certificate=shown)


@bp.get("/volunteers/<int:volunteer_id>/certificate.pdf")
@roles_required(Role.ORGANIZER)
def volunteer_certificate_pdf(volunteer_id: int):
    """The same certificate as an A4 PDF download."""
    shown = certificates.certificate(volunteer_id, current_user, *_certificate_period())
    pdf = certificate_pdf.render(shown)
    response = send_file(BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                         download_name=f"志愿服务记录证明-{shown['number']}.pdf")
    response.headers["Cache-Control"] = "private, no-store"  # it carries personal data
    return response
