"""Pages for village and township cadres: the household registry."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from matchmaker import limits, throttle
from matchmaker.auth import roles_required
from matchmaker.errors import DomainError
from matchmaker.extensions import db
from matchmaker.forms.accounts import RevealForm
from matchmaker.forms.households import HouseholdEditForm, HouseholdForm
from matchmaker.models import Region, Role
from matchmaker.serializers import household_detail
from matchmaker.services import audit, scopes
from matchmaker.services.registry import households
from matchmaker.impact import figures as impact

bp = Blueprint("cadre", __name__, url_prefix="/cadre")
BLANK_MEMBER_ROWS = 3


@bp.before_request
@roles_required(Role.CADRE, Role.ADMIN)
def cadres_only():
    """Every page here is for cadres (and admins); others get 401 or 403."""


def villages_in_scope() -> list[Region]:
    return scopes.villages_in_scope(current_user)


@bp.get("/households")
def list_households():
    query = households.households_in_scope(current_user, request.args.get("village") or None,
                                           request.args.get("q") or None)
    page = limits.parse_page(request.args)[0]
    rows = db.session.scalars(query.limit(51).offset((page - 1) * 50)).all()
    return render_template("cadre/households_list.html", households=rows[:50], page=page,
                           has_next=len(rows) > 50, villages=villages_in_scope())


def _without_blank_members(formdata: MultiDict) -> MultiDict:
    """The page offers spare member rows; the ones left empty are not members."""
    blank = {key.rsplit("-", 1)[0] for key, value in formdata.items(multi=True)
             if key.startswith("members-") and key.endswith("-name") and not value.strip()}
    return MultiDict([(k, v) for k, v in formdata.items(multi=True)
                      if not any(k.startswith(prefix + "-") for prefix in blank)])


def _household_form(form_class, obj_data: dict | None = None):
    if request.method == "POST":
        return form_class(formdata=_without_blank_members(request.form))
    form = form_class(data=obj_data)
    for _ in range(BLANK_MEMBER_ROWS):
        form.members.append_entry()
    return form


def _saved(save, form):
    """The service's result, committed; or None, its refusal shown on the form (a neutral one
    after the admins' notification is committed)."""
    try:
        result = save()
    except households.RegisteredElsewhere as exc:
        db.session.commit()  # the notification stands; nothing else was written
        return _show_refusal(form, exc)
    except DomainError as exc:
        db.session.rollback()
        return _show_refusal(form, exc)
    db.session.commit()
    return result


def _show_refusal(form, exc: DomainError) -> None:
    for name, message in (exc.fields or {"_": exc.message}).items():
        field = getattr(form, name, None) if name.isidentifier() else None
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, message]
        else:
            flash(message, "error")


def _form_page(form, household=None):
    status = 422 if request.method == "POST" else 200
    return render_template("cadre/household_form.html", form=form, villages=villages_in_scope(),
                           household=household), status


@bp.route("/households/new", methods=["GET", "POST"])
def new_household():
    form = _household_form(HouseholdForm, {"village_code": request.args.get("village", "")})
    household = form.validate_on_submit() and _saved(
        lambda: households.create_household(form.data, current_user), form)
    if household:
        flash(f"已登记 {household.code}", "success")
        return redirect(url_for("cadre.show_household", household_id=household.id))
    return _form_page(form)


@bp.get("/households/<int:household_id>")
def show_household(household_id: int):
    household = households.household_for(current_user, household_id)
    audit.record("household.view", current_user.id, household)
    db.session.commit()
    return render_template("cadre/household_detail.html", household=household,
                           detail=household_detail(household), reveal=RevealForm(),
                           income=impact.household_income(household.id))


@bp.route("/households/<int:household_id>/edit", methods=["GET", "POST"])
def edit_household(household_id: int):
    household = households.household_for(current_user, household_id)
    form = _household_form(HouseholdEditForm, households.edit_data(household))
    if form.validate_on_submit() and _saved(lambda: households.update_household(
            household, form.data, current_user, blank_is_unchanged=True), form):
        flash("已保存", "success")
        return redirect(url_for("cadre.show_household", household_id=household.id))
    return _form_page(form, household)


@bp.post("/households/<int:household_id>/reveal")
def reveal_id_number(household_id: int):
    """The full ID number, after the cadre types the password again; audit-logged."""
    household = households.household_for(current_user, household_id)
    form = RevealForm()
    if not form.validate_on_submit() or not current_user.check_password(form.password.data):
        throttle.record_failure()  # a wrong password here counts toward the login lock-out
        audit.record("id_number.reveal_refused", current_user.id, household)
        db.session.commit()
        flash("密码不正确,未显示完整身份证号", "error")
        return redirect(url_for("cadre.show_household", household_id=household.id))
    number = households.reveal_id_number(household, current_user)
    db.session.commit()
    return render_template("cadre/id_number_revealed.html", household=household, number=number)


@bp.get("/")
def home():
    return redirect(url_for("cadre.list_households"))


from matchmaker.web import cadre_imports  # noqa: E402,F401  (routes on this blueprint)
from matchmaker.web import cadre_needs  # noqa: E402,F401  (routes on this blueprint)
from matchmaker.web import cadre_records  # noqa: E402,F401  (routes on this blueprint)
