"""Records of help delivered: organizers post and change them, the place's cadres verify them."""
from flask import jsonify, request
from flask_login import current_user

from matchmaker.api import bp
from matchmaker.api.io import json_body, paginate
from matchmaker.api.schemas_records import ACTIVITY, DONATION, PLACEMENT, PURCHASE, SHAPES
from matchmaker.api.schemas_records import activity_dict, donation_dict, placement_dict
from matchmaker.api.schemas_records import purchase_dict
from matchmaker.api.spec import documented, page_of
from matchmaker.auth import roles_required
from matchmaker.errors import Invalid
from matchmaker.extensions import db
from matchmaker.forms.records import (
    ActivityEditForm, ActivityForm, CorrectionForm, DonationForm, FollowUpForm,
    PlacementEditForm, PlacementForm, PurchaseForm, RejectForm,
)
from matchmaker.models import Role
from matchmaker.services.records import (
    activities as records_activities,
    donations as records_donations,
    verification as records,
)
from matchmaker.services.records import placements as records_placements

VERIFIERS = (Role.CADRE, Role.ADMIN)
READERS = (Role.ORGANIZER, Role.CADRE, Role.ADMIN)
PLURAL = {"activity": "activities", "donation": "donations", "placement": "placements",
          "purchase": "purchases"}
LIST_QUERY = {"status": "pending、verified 或 rejected", "village": "村或乡镇区划代码(含下级)",
              "from": "起始日期 YYYY-MM-DD", "to": "截止日期 YYYY-MM-DD", "page": "页码",
              "per_page": "每页条数(≤200)"}
CHANGE_ERRORS = (400, 404, 409, 422)


def _created(record, to_dict):
    db.session.commit()
    return jsonify(to_dict(record)), 201


def _saved(record, to_dict):
    db.session.commit()
    return jsonify(to_dict(record))


# -- creating -----------------------------------------------------------------------------------

@bp.post("/activities")
@roles_required(Role.ORGANIZER)
@documented("记录一次志愿服务活动及每名志愿者的时长(本组织的服务队和志愿者;待村干部核实)",
            body=ActivityForm, response=ACTIVITY, status=201,
            errors=(403, 409))
def create_activity():
    form = ActivityForm.from_json(json_body()).validated()
    return _created(records_activities.create_activity(form.data, current_user), activity_dict)


@bp.post("/donations")
@roles_required(Role.ORGANIZER)
@documented("记录一次捐赠(捐款和/或物资;待村干部核实)", body=DonationForm, response=DONATION,
            status=201, errors=(403,))
def create_donation():
    form = DonationForm.from_json(json_body()).validated()
    return _created(records_donations.create_donation(form.data, current_user), donation_dict)


@bp.post("/placements")
@roles_required(Role.ORGANIZER)
@documented("记录一人入职本组织的就业岗位(占用一个岗位名额;待村干部核实)", body=PlacementForm,
            response=PLACEMENT, status=201, errors=(403, 409))
def create_placement():
    form = PlacementForm.from_json(json_body()).validated()
    return _created(records_placements.create_placement(form.data, current_user), placement_dict)


@bp.post("/purchases")
@roles_required(Role.ORGANIZER)
@documented("记录一次消费帮扶认购;金额按各户所得计入出售农户(待村干部核实)", body=PurchaseForm,
            response=PURCHASE, status=201, errors=(403,))
def create_purchase():
    form = PurchaseForm.from_json(json_body()).validated()
    return _created(records_donations.create_purchase(form.data, current_user), purchase_dict)


# -- changing -----------------------------------------------------------------------------------

@bp.patch("/activities/<int:record_id>")
@roles_required(Role.ORGANIZER)
@documented("修改活动记录(只需给出要改的字段;时长不能改,只能补录);已核实的记录改后回到待核实",
            body=ActivityEditForm, response=ACTIVITY, errors=CHANGE_ERRORS)
def update_activity(record_id: int):
    activity = records.own_record("activity", record_id, current_user)
    body = json_body()
    records_activities.refuse_fixed(body)
    form = ActivityEditForm.from_json({**records_activities.edit_data(activity), **body})
    records_activities.update_activity(activity, form.validated().data, current_user)
    return _saved(activity, activity_dict)


@bp.post("/activities/<int:record_id>/hours")
@roles_required(Role.ORGANIZER)
@documented("补录时长:另起更正行,不覆盖已记录的时长;已核实的活动回到待核实",
            body=CorrectionForm, response=ACTIVITY, status=201,
            errors=CHANGE_ERRORS)
def correct_activity_hours(record_id: int):
    activity = records.own_record("activity", record_id, current_user)
    form = CorrectionForm.from_json(json_body()).validated()
    return _created(records_activities.correct_hours(activity, form.data, current_user),
                    activity_dict)


@bp.patch("/donations/<int:record_id>")
@roles_required(Role.ORGANIZER)
@documented("修改捐赠记录(只需给出要改的字段;goods 整体替换);已核实的记录改后回到待核实",
            body=DonationForm, response=DONATION, errors=CHANGE_ERRORS)
def update_donation(record_id: int):
    donation = records.own_record("donation", record_id, current_user)
    data = {**records_donations.donation_edit_data(donation), **json_body()}
    form = DonationForm.from_json(data).validated()
    return _saved(records_donations.update_donation(donation, form.data, current_user),
                  donation_dict)


@bp.patch("/placements/<int:record_id>")
@roles_required(Role.ORGANIZER)
@documented("修改就业记录的入职日期、月薪或对应需求;已核实的记录改后回到待核实",
            body=PlacementEditForm, response=PLACEMENT,
            errors=CHANGE_ERRORS)
def update_placement(record_id: int):
    placement = records.own_record("placement", record_id, current_user)
    body = json_body()
    fixed = {name: "岗位和人员不能修改,请重新记录" for name in ("offer_id", "member_id")
             if name in body}
    if fixed:
        raise Invalid(fixed)
    form = PlacementEditForm.from_json({**records_placements.edit_data(placement), **body})
    records_placements.update_placement(placement, form.validated().data, current_user)
    return _saved(placement, placement_dict)


@bp.post("/placements/<int:record_id>/follow-up")
@roles_required(*READERS)
@documented("就业回访:入职满3个月或6个月时是否仍在岗(本组织或本村干部)", body=FollowUpForm,
            response=PLACEMENT, errors=CHANGE_ERRORS)
def follow_up_placement(record_id: int):
    placement = records.record_for("placement", record_id, current_user)
    form = FollowUpForm.from_json(json_body()).validated()
    return _saved(records_placements.follow_up(placement, form.data, current_user),
                  placement_dict)


@bp.patch("/purchases/<int:record_id>")
@roles_required(Role.ORGANIZER)
@documented("修改认购记录(只需给出要改的字段;sellers 或 household_ids 整体替换);"
            "已核实的记录改后回到待核实", body=PurchaseForm, response=PURCHASE,
            errors=CHANGE_ERRORS)
def update_purchase(record_id: int):
    purchase = records.own_record("purchase", record_id, current_user)
    data = records_donations.purchase_patch_data(purchase, json_body())
    form = PurchaseForm.from_json(data).validated()
    return _saved(records_donations.update_purchase(purchase, form.data, current_user),
                  purchase_dict)


# -- reading and verifying: the same for every kind ---------------------------------------------

def _register(kind: str) -> None:
    """GET list and detail, POST verify and reject of one kind, under its plural path."""
    plural, name = PLURAL[kind], records.NAMES[kind]
    to_dict, schema = SHAPES[kind]

    @roles_required(*READERS)
    @documented(f"{name}列表:组织方见本组织的,村干部见本辖区的", response=page_of(schema),
                query=LIST_QUERY, errors=(400, 422))
    def list_records():
        return jsonify(paginate(records.records_query(kind, current_user, request.args),
                                to_dict))

    @roles_required(*READERS)
    @documented(f"一条{name}", response=schema,
                errors=(404,))
    def get_record(record_id: int):
        return jsonify(to_dict(records.record_for(kind, record_id, current_user)))

    @roles_required(*VERIFIERS)
    @documented(f"核实{name}(记录所在村或乡镇的干部);核实后计入公开数据", response=schema,
                errors=(404, 409))
    def verify_record(record_id: int):
        return _saved(records.verify_record(kind, record_id, current_user), to_dict)

    @roles_required(*VERIFIERS)
    @documented(f"驳回{name}并说明原因(记录所在村或乡镇的干部)", body=RejectForm,
                response=schema, errors=(404, 409))
    def reject_record(record_id: int):
        form = RejectForm.from_json(json_body()).validated()
        return _saved(records.reject_record(kind, record_id, current_user, form.reason.data), to_dict)

    for rule, view, verb, method in (
            (f"/{plural}", list_records, "list", "GET"),
            (f"/{plural}/<int:record_id>", get_record, "get", "GET"),
            (f"/{plural}/<int:record_id>/verify", verify_record, "verify", "POST"),
            (f"/{plural}/<int:record_id>/reject", reject_record, "reject", "POST")):
        noun = plural if verb == "list" else kind
        bp.add_url_rule(rule, endpoint=f"{verb}_{noun}", view_func=view, methods=[method])


for _kind in PLURAL:
    _register(_kind)
