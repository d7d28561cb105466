"""Organizations, branches, teams and volunteers (organizers for their own; admins for any)."""
from flask import jsonify
from flask_login import current_user

from matchmaker.api import bp
from matchmaker.api.io import json_body, paginate
from matchmaker.api.schemas_orgs import (
    BRANCH, ORGANIZATION, TEAM, VOLUNTEER, VOLUNTEER_CREATED, branch_to_dict,
    organization_to_dict, team_to_dict, volunteer_created, volunteer_to_dict,
)
from matchmaker.api.spec import array, documented, obj, page_of
from matchmaker.auth import roles_required
from matchmaker.extensions import db
from matchmaker.forms.orgs import BranchForm, OrganizationForm, TeamForm, VolunteerForm
from matchmaker.models import Role
from matchmaker.services.registry import orgs

MANAGERS = (Role.ORGANIZER, Role.ADMIN)
PAGING = {"page": "页码", "per_page": "每页条数(≤200)"}


@bp.post("/organizations")
@roles_required(*MANAGERS)
@documented("登记组织;组织方账户首次登记即绑定该组织,再次登记为409", body=OrganizationForm,
            response=ORGANIZATION, status=201, errors=(409,))
def create_organization():
    form = OrganizationForm.from_json(json_body()).validated()
    organization = orgs.create_organization(form.data, current_user)
    db.session.commit()
    return jsonify(organization_to_dict(organization)), 201


@bp.get("/organizations/<int:organization_id>")
@roles_required(*MANAGERS)
@documented("本组织的登记信息(他人的组织为404)", response=ORGANIZATION,
            errors=(404,))
def get_organization(organization_id: int):
    return jsonify(organization_to_dict(orgs.organization_for(current_user, organization_id)))


@bp.post("/organizations/<int:organization_id>/branches")
@roles_required(*MANAGERS)
@documented("登记本组织的党组织(党支部、党总支、党委)", body=BranchForm, response=BRANCH,
            status=201, errors=(404, 409))
def create_branch(organization_id: int):
    organization = orgs.organization_for(current_user, organization_id)
    form = BranchForm.from_json(json_body()).validated()
    branch = orgs.add_branch(organization, form.data, current_user)
    db.session.commit()
    return jsonify(branch_to_dict(branch)), 201


@bp.get("/organizations/<int:organization_id>/branches")
@roles_required(*MANAGERS)
@documented("本组织的党组织", response=obj(("items",), items=array(BRANCH)),
            errors=(404,))
def list_branches(organization_id: int):
    organization = orgs.organization_for(current_user, organization_id)
    return jsonify(items=[branch_to_dict(b) for b in orgs.branches_of(organization.id)])


@bp.post("/teams")
@roles_required(*MANAGERS)
@documented("成立志愿服务队;驻地取经纬度,未填则取区划位置", body=TeamForm, response=TEAM,
            status=201, errors=(404, 409))
def create_team():
    form = TeamForm.from_json(json_body()).validated()
    team = orgs.add_team(form.data, current_user)
    db.session.commit()
    return jsonify(team_to_dict(team)), 201


@bp.get("/teams")
@roles_required(*MANAGERS)
@documented("本组织的志愿服务队", response=page_of(TEAM), query=PAGING,
            errors=(400,))
def list_teams():
    return jsonify(paginate(orgs.teams_query(current_user), team_to_dict))


@bp.get("/teams/<int:team_id>")
@roles_required(*MANAGERS)
@documented("一支本组织的志愿服务队", response=TEAM, errors=(404,))
def get_team(team_id: int):
    return jsonify(team_to_dict(orgs.team_for(current_user, team_id)))


@bp.post("/teams/<int:team_id>/volunteers")
@roles_required(*MANAGERS)
@documented("添加志愿者;电话加密保存,只返回打码后的电话", body=VolunteerForm,
            response=VOLUNTEER_CREATED, status=201, errors=(404, 409))
def create_volunteer(team_id: int):
    team = orgs.team_for(current_user, team_id)
    form = VolunteerForm.from_json(json_body()).validated()
    volunteer = orgs.add_volunteer(team, form.data, current_user)
    db.session.commit()
    return jsonify(volunteer_created(volunteer)), 201


@bp.get("/teams/<int:team_id>/volunteers")
@roles_required(*MANAGERS)
@documented("服务队的志愿者(不含电话)", response=page_of(VOLUNTEER),
            query=PAGING, errors=(400, 404))
def list_volunteers(team_id: int):
    team = orgs.team_for(current_user, team_id)
    return jsonify(paginate(orgs.volunteers_query(team), volunteer_to_dict))
