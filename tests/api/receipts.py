"""A need made ready for its receipt (签收): an organization claims it, as in life."""
import uuid

from matchmaker.extensions import db
from matchmaker.models import Claim, Need, Organization
from matchmaker.services import accounts
from matchmaker.services.market import claims


def claimed(need_id: int) -> Claim:
    """An organization of the need's village, with its organizer, claims the need (committed)."""
    need = db.session.get(Need, need_id)
    organization = Organization(name=f"赣鄱认领公司{uuid.uuid4().hex[:6]}", kind="enterprise",
                                region_id=need.village_id)
    db.session.add(organization)
    db.session.flush()
    organizer = accounts.create_user(f"claimer-{uuid.uuid4().hex[:6]}", "correct-horse-9",
                                     "organizer", None)
    organizer.organization_id = organization.id
    made = claims.claim_need(need.id, organizer, {})
    db.session.commit()
    return made
