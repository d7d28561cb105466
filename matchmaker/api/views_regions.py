"""GET/POST /api/v1/regions."""
from flask import jsonify, request
from flask_login import current_user

from matchmaker import jobs
from matchmaker.api import bp
from matchmaker.api.io import json_body
from matchmaker.api.schemas import JOB, REGION, job_to_dict, region_to_dict
from matchmaker.api.spec import array, documented, obj
from matchmaker.auth import roles_required
from matchmaker.extensions import db
from matchmaker.forms.regions import RegionForm
from matchmaker.models import Role
from matchmaker.services import regions

REGION_CREATED = {**REGION, "properties": {**REGION["properties"], "geocoding": {
    "oneOf": [JOB, {"type": "null"}]}}}


@bp.get("/regions")
@documented("下级区划列表(不带 parent 时为省级)", public=True,
            response=obj(("items",), items=array(REGION)),
            query={"parent": "上级区划代码"}, errors=(404,))
def list_regions():
    found = regions.list_regions(request.args.get("parent") or None)
    return jsonify(items=[region_to_dict(region) for region in found])


@bp.post("/regions")
@roles_required(Role.ADMIN)
@documented("新增区划(管理员);不带经纬度时自动地理编码", body=RegionForm,
            response=REGION_CREATED, status=201, errors=(409,))
def create_region():
    form = RegionForm.from_json(json_body()).validated()
    region = regions.create_region(form.code.data, form.name.data, form.level.data,
                                   form.parent_code.data or None, form.lat.data, form.lon.data)
    db.session.commit()
    job = None
    if region.lat is None or region.lon is None:
        job = jobs.enqueue("geocode_region", region.id, user_id=current_user.id)
        db.session.refresh(region)
    return jsonify({**region_to_dict(region), "geocoding": job and job_to_dict(job)}), 201
