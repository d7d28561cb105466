"""Pages for branch organizers: organization, teams, offers, needs to claim, the workbench."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from matchmaker.auth import roles_required
from matchmaker.errors import DomainError
from matchmaker.extensions import db
from matchmaker.forms.orgs import (
    BRANCH_FORMATION, BRANCH_LEVEL, ORGANIZATION_KIND, BranchForm, OrganizationForm, TeamForm,
    VolunteerForm,
)
from matchmaker.models import Region, RegionLevel, Role
from matchmaker.services.regions import regions_at
from matchmaker.services.registry import orgs

bp = Blueprint("organizer", __name__, url_prefix="/organizer")
VOCABULARIES = {"organization_kinds": ORGANIZATION_KIND, "branch_levels": BRANCH_LEVEL,
                "branch_formations": BRANCH_FORMATION}


def attempt(form, action):
    """Run a service on a valid form; its domain errors go back onto the form's fields."""
    try:
        result = action()
    except DomainError as exc:
        db.session.rollback()
        fields = exc.fields or {"_": exc.message}
        for name, message in fields.items():
            target = getattr(form, name, None)
            (target.errors if target is not None else form.form_errors).append(message)
        return None
    db.session.commit()
    return result


def page(template: str, form, **context):
    """Render a form page: 422 when it carries errors."""
    status = 422 if form.errors or form.form_errors else 200
    return render_template(template, form=form, **VOCABULARIES, **context), status


def places() -> list[Region]:
    """The counties, townships and villages offered as a location."""
    return regions_at(RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.VILLAGE)


def organization_required():
    """The organizer's organization, or a redirect to register it first."""
    if current_user.organization_id is None:
        flash("请先登记本组织", "error")
        return None, redirect(url_for("organizer.register_organization"))
    return orgs.organization_for(current_user, current_user.organization_id), None


@bp.route("/organization/new", methods=["GET", "POST"])
@roles_required(Role.ORGANIZER)
def register_organization():
    if current_user.organization_id is not None:
        return redirect(url_for("organizer.show_organization"))
    form = OrganizationForm()
    if form.validate_on_submit() and attempt(
            form, lambda: orgs.create_organization(form.data, current_user)):
        flash("组织已登记。第二步:登记本组织的党组织", "success")
        return redirect(url_for("organizer.new_branch"))
    return page("organizer/organization_form.html", form, places=places())


@bp.get("/organization")
@roles_required(Role.ORGANIZER)
def show_organization():
    organization, redirect_to = organization_required()
    if redirect_to:
        return redirect_to
    return render_template("organizer/organization_show.html", organization=organization,
                           branches=orgs.branches_of(organization.id), **VOCABULARIES)


@bp.route("/branches/new", methods=["GET", "POST"])
@roles_required(Role.ORGANIZER)
def new_branch():
    organization, redirect_to = organization_required()
    if redirect_to:
        return redirect_to
    form = BranchForm()
    if form.validate_on_submit() and attempt(
            form, lambda: orgs.add_branch(organization, form.data, current_user)):
        flash("党组织已登记。第三步:成立志愿服务队", "success")
        return redirect(url_for("organizer.new_team"))
    return page("organizer/branch_form.html", form, organization=organization)


@bp.route("/teams/new", methods=["GET", "POST"])
@roles_required(Role.ORGANIZER)
def new_team():
    organization, redirect_to = organization_required()
    if redirect_to:
        return redirect_to
    branches = orgs.branches_of(organization.id)
    if not branches:
        flash("请先登记党组织", "error")
        return redirect(url_for("organizer.new_branch"))
    form = TeamForm()
    if form.validate_on_submit() and attempt(form, lambda: orgs.add_team(form.data, current_user)):
        flash("志愿服务队已成立,可以添加志愿者、发布供给了", "success")
        return redirect(url_for("organizer.list_teams"))
    return page("organizer/team_form.html", form, branches=branches, places=places())


@bp.get("/teams")
@roles_required(Role.ORGANIZER)
def list_teams():
    organization, redirect_to = organization_required()
    if redirect_to:
        return redirect_to
    teams = db.session.scalars(orgs.teams_query(current_user)).all()
    return render_template("organizer/teams_list.html", organization=organization, teams=teams,
                           form=VolunteerForm(formdata=None))


@bp.post("/teams/<int:team_id>/volunteers")
@roles_required(Role.ORGANIZER)
def add_volunteer(team_id: int):
    team = orgs.team_for(current_user, team_id)
    form = VolunteerForm()
    if form.validate() and attempt(form, lambda: orgs.add_volunteer(team, form.data,
                                                                    current_user)):
        flash(f"已将志愿者加入{team.name}", "success")
    else:
        flash(";".join(str(errors[0]) for errors in form.errors.values()) or "添加失败", "error")
    return redirect(url_for("organizer.list_teams", _anchor=f"team-{team.id}"))


from matchmaker.web import organizer_claims  # noqa: E402,F401  (routes on this blueprint)
from matchmaker.web import organizer_takeovers  # noqa: E402,F401  (routes on this blueprint)
from matchmaker.web import organizer_matches  # noqa: E402,F401  (routes on this blueprint)
from matchmaker.web import organizer_records  # noqa: E402,F401  (routes on this blueprint)
from matchmaker.web import organizer_offers  # noqa: E402,F401  (routes on this blueprint)
from matchmaker.web import organizer_deliveries  # noqa: E402,F401  (routes on this blueprint)
