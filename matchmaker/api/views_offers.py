"""Offers (供给): organizers post, edit and close their own; admins see and manage all."""
from flask import jsonify, request
from flask_login import current_user

from matchmaker.api import bp
from matchmaker.api.io import MalformedBody, json_body, paginate
from matchmaker.api.schemas_orgs import OFFER, offer_to_dict
from matchmaker.api.spec import documented, page_of
from matchmaker.auth import roles_required
from matchmaker.extensions import db
from matchmaker.forms.offers import OfferForm
from matchmaker.labels import OFFER_KIND, OFFER_STATUS
from matchmaker.models import Role
from matchmaker.services.market import offers

MANAGERS = (Role.ORGANIZER, Role.ADMIN)
LIST_QUERY = {"kind": "供给类型", "status": "状态 open exhausted closed expired", "page": "页码",
              "per_page": "每页条数(≤200)"}


@bp.post("/offers")
@roles_required(Role.ORGANIZER)
@documented("发布供给;容量按类型取数量、岗位数或金额", body=OfferForm, response=OFFER,
            status=201, errors=(403, 404))
def create_offer():
    form = OfferForm.from_json(json_body()).validated()
    offer = offers.create_offer(form.data, current_user)
    db.session.commit()
    return jsonify(offer_to_dict(offer)), 201


def _vocabulary_arg(name: str, vocabulary: dict) -> str | None:
    value = request.args.get(name) or None
    if value is not None and value not in vocabulary:
        raise MalformedBody(f"参数 {name} 无效", {name: "可选值:" + " ".join(vocabulary)})
    return value


@bp.get("/offers")
@roles_required(*MANAGERS)
@documented("供给列表:组织方只见本组织的,管理员见全部;含剩余容量", response=page_of(OFFER),
            query=LIST_QUERY, errors=(400,))
def list_offers():
    query = offers.offers_query(current_user, _vocabulary_arg("kind", OFFER_KIND),
                                _vocabulary_arg("status", OFFER_STATUS))
    return jsonify(paginate(query, offer_to_dict))


@bp.get("/offers/<int:offer_id>")
@roles_required(*MANAGERS)
@documented("一项供给", response=OFFER, errors=(404,))
def get_offer(offer_id: int):
    return jsonify(offer_to_dict(offers.offer_for(current_user, offer_id)))


@bp.patch("/offers/<int:offer_id>")
@roles_required(*MANAGERS)
@documented("修改供给(只需给出要改的字段);容量不能少于已使用量", body=OfferForm,
            response=OFFER, errors=(404, 409))
def update_offer(offer_id: int):
    offer = offers.offer_for(current_user, offer_id)
    form = OfferForm.from_json({**offers.edit_data(offer), **json_body()}).validated()
    offers.update_offer(offer, form.data, current_user)
    db.session.commit()
    return jsonify(offer_to_dict(offer))


@bp.post("/offers/<int:offer_id>/close")
@roles_required(*MANAGERS)
@documented("关闭供给;已关闭或已过期的供给为409", response=OFFER,
            errors=(404, 409))
def close_offer(offer_id: int):
    offer = offers.close_offer(offers.offer_for(current_user, offer_id), current_user)
    db.session.commit()
    return jsonify(offer_to_dict(offer))
