"""The OpenAPI shapes of households as the API shows them; the dicts themselves are built by
matchmaker.serializers (shared with the pages): no ID digits in lists, the 6+4 mask on the
detail."""
from __future__ import annotations

from matchmaker.api.spec import array, integer, obj, string

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
