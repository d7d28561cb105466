"""Organizer pages for records: log an activity with a whole team's hours in one form."""
from datetime import date
from io import BytesIO

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import select

from matchmaker import labels
from matchmaker.auth import roles_required
from matchmaker.errors import DomainError
from matchmaker.extensions import db
from matchmaker.forms.records import ActivityForm
from matchmaker.models import Region, RegionLevel, Role
from matchmaker.services import certificate_pdf, certificates, orgs, records, records_activities
from matchmaker.web.organizer import bp

FIELDS = ("team_id", "date", "start_time", "end_time", "title", "category", "village_code",
          "extra_beneficiaries", "note")


def _payload(form, volunteers) -> dict:
    """The posted page as the API's body: one hours line per volunteer ticked as present;
    an empty hours box takes the common hours, so a whole team is entered at once."""
    data = {name: form.get(name, "").strip() for name in FIELDS}
    data = {name: value for name, value in data.items() if value != ""}
    same = form.get("same_hours", "").strip()
    data["hours"] = [{"volunteer_id": v.id, "hours": form.get(f"h-{v.id}", "").strip() or same}
                     for v in volunteers if form.get(f"v-{v.id}")]
    return data


def _places() -> list[Region]:
    return list(db.session.scalars(select(Region).where(Region.level.in_(
        (RegionLevel.TOWNSHIP, RegionLevel.VILLAGE))).order_by(Region.code)))


@bp.route("/activities/new", methods=["GET", "POST"])
@roles_required(Role.ORGANIZER)
def new_activity():
    teams = db.session.scalars(orgs.teams_query(current_user)).all()
    chosen = request.values.get("team_id", type=int) or (teams[0].id if teams else None)
    team = next((t for t in teams if t.id == chosen), None)
    volunteers = db.session.scalars(orgs.volunteers_query(team)).all() if team else []
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            form = ActivityForm.from_json(_payload(request.form, volunteers)).validated()
            records_activities.create_activity(form.data, current_user)
        except DomainError as exc:
            db.session.rollback()
            errors = exc.fields or {"_": exc.message}
        else:
            db.session.commit()
            flash("活动已记录,等待村干部核实后计入公开数据", "success")
            return redirect(url_for("organizer.list_activities"))
    return render_template("organizer/activity_form.html", teams=teams, team=team,
                           volunteers=volunteers, places=_places(), errors=errors,
                           values=request.form, categories=labels.SERVICE_CATEGORY)


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
    pdf = certificate_pdf.render(shown, url_for("public.check_certificate", _external=True))
    response = send_file(BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                         download_name=f"志愿服务记录证明-{shown['number']}.pdf")
    response.headers["Cache-Control"] = "private, no-store"  # it carries personal data
    return response
