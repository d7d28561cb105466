"""Households as the API shows them: no ID digits in lists, the 6+4 mask on the detail."""
from __future__ import annotations

from matchmaker import privacy
from matchmaker.api.spec import array, integer, obj, string
from matchmaker.models import Household, Member
from matchmaker.services.registry.households import age

NULLABLE = {"type": ["string", "null"]}
HOUSEHOLD_ITEM = obj(
    ("id", "code", "village_code", "village_name", "head_name", "status", "poverty_causes",
     "member_count"),
    id=integer(), code=string(), village_code=string(), village_name=string(),
    head_name=string(), status=string(), poverty_causes=array(string()),
    member_count=integer())
MEMBER = obj(("id", "name", "relation"), id=integer(), name=string(), relation=string(),
             id_number_masked=NULLABLE, age=integer(nullable=True), gender=NULLABLE,
             labour_capacity=NULLABLE, is_student={"type": "boolean"}, school_stage=NULLABLE,
             skills=array(string()))
HOUSEHOLD = {**HOUSEHOLD_ITEM, "properties": {
    **HOUSEHOLD_ITEM["properties"], "id_number_masked": string(), "phone_masked": NULLABLE,
    "address": NULLABLE, "members": array(MEMBER)}}


ROW_ERROR = obj(("row", "field", "message"), row=integer(), field=string(), message=string())
PREVIEW_ROW = obj(("row", "code"), row=integer(), code=string(),
                  existing_code=string(), reason=string())
IMPORT_PREVIEW = obj(("create", "update", "duplicates", "errors"), create=array(PREVIEW_ROW),
                     update=array(PREVIEW_ROW), duplicates=array(PREVIEW_ROW),
                     errors=array(ROW_ERROR))
IMPORT_RESULT = obj(("created", "updated", "errors"), created=integer(), updated=integer(),
                    errors=array(ROW_ERROR))


def household_item(household: Household) -> dict:
    return {"id": household.id, "code": household.code, "village_code": household.village.code,
            "village_name": household.village.name, "head_name": household.head_name,
            "status": household.status.value, "poverty_causes": household.poverty_causes,
            "member_count": len(household.members)}


def _masked(encrypted: str | None, mask) -> str | None:
    return mask(privacy.decrypt(encrypted)) if encrypted else None


def member_to_dict(member: Member) -> dict:
    return {"id": member.id, "name": member.name, "relation": member.relation,
            "id_number_masked": _masked(member.id_number_encrypted, privacy.mask_id_number),
            "age": age(member), "gender": member.gender,
            "labour_capacity": member.labour_capacity and member.labour_capacity.value,
            "is_student": member.is_student, "school_stage": member.school_stage,
            "skills": member.skills}


def household_detail(household: Household) -> dict:
    return {**household_item(household),
            "id_number_masked": _masked(household.id_number_encrypted, privacy.mask_id_number),
            "phone_masked": _masked(household.phone_encrypted, privacy.mask_phone),
            "address": household.address,
            "members": [member_to_dict(member) for member in household.members]}
