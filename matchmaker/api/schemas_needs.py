"""The OpenAPI shapes of needs as the public and organizers see them (no personal data) and as
cadres see them; the dicts themselves are made by matchmaker.serializers."""
from __future__ import annotations

from matchmaker.api.spec import integer, number, obj, string

NULLABLE = {"type": ["string", "null"]}
PLACE = obj(("code", "name"), code=string(), name=string())
PUBLIC_NEED = obj(
    ("id", "kind", "category", "title", "status", "village", "household_ref"),
    id=integer(), kind=string(), category=string(), title=string(), description=NULLABLE,
    quantity=number(nullable=True), unit=NULLABLE, amount_yuan=number(nullable=True),
    deadline=NULLABLE, status=string(), village=PLACE, township=NULLABLE, county=NULLABLE,
    household_ref=string(), age_band=NULLABLE, pseudonym=NULLABLE)
CADRE_NEED = {**PUBLIC_NEED, "properties": {
    **PUBLIC_NEED["properties"], "household_id": integer(), "household_code": string(),
    "member_id": integer(nullable=True), "guardian_consent": {"type": "boolean"},
    "receipt_note": NULLABLE}}
