"""The need's status moves through services/market/need_status.py only: every transition the
services make is in its table, every other one raises InvalidTransition, and no other module
writes a need's status."""
import ast
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from matchmaker.errors import InvalidTransition
from matchmaker.extensions import db
from matchmaker.models import Claim, Need, NeedStatus
from matchmaker.services.market import claims, need_status, needs
from tests.services.world import claim, refused

PACKAGE = Path(need_status.__file__).resolve().parents[2]
FINAL = (NeedStatus.FULFILLED, NeedStatus.CANCELLED, NeedStatus.EXPIRED)


def _status(need: Need) -> NeedStatus:
    db.session.expire_all()
    return db.session.get(Need, need.id).status


def _step(need: Need, action, *args) -> tuple[NeedStatus, NeedStatus]:
    """Run the service action and return the (from, to) it made the need take."""
    before = _status(need)
    action(*args)
    db.session.commit()
    return before, _status(need)


def test_every_transition_the_services_make_is_in_the_table(world, organizer, make_user):
    admin = make_user("admin")
    reviewed, rejected, cancelled = (world.need(status="review") for _ in range(3))
    overdue = world.need(deadline=date.today() - timedelta(days=1))
    made = [
        _step(reviewed, needs.approve, reviewed, admin),
        _step(reviewed, claim, reviewed, organizer),
        _step(reviewed, lambda: claims.release_claim(_active_claim(reviewed), organizer, "人手不足")),
        _step(reviewed, claims.take_need, reviewed.id, NeedStatus.MATCHED),
        _step(reviewed, needs.fulfil, reviewed, admin, "已签收"),
        _step(rejected, needs.reject_review, rejected, admin, "材料不全"),
        _step(cancelled, needs.cancel, cancelled, admin, "家庭已自行解决"),
        _step(overdue, needs.expire_overdue),
    ]
    assert made == [("review", "open"), ("open", "claimed"), ("claimed", "open"),
                    ("open", "matched"), ("matched", "fulfilled"), ("review", "cancelled"),
                    ("review", "cancelled"), ("open", "expired")]
    assert all(pair in need_status.ALLOWED for pair in made)


def _active_claim(need: Need) -> int:
    return db.session.scalar(select(Claim.id).where(Claim.need_id == need.id,
                                                    Claim.status == "active"))


@pytest.mark.parametrize("current,target", [
    ("open", "fulfilled"), ("review", "claimed"), ("fulfilled", "open"), ("cancelled", "open"),
    ("expired", "open"), ("claimed", "matched"), ("fulfilled", "cancelled"), ("open", "review"),
])
def test_a_transition_the_table_does_not_allow_raises_invalid_transition(current, target):
    with pytest.raises(InvalidTransition):
        need_status.check(NeedStatus(current), NeedStatus(target))


def test_the_final_statuses_lead_nowhere_and_every_live_one_can_be_cancelled():
    assert not [pair for pair in need_status.ALLOWED if pair[0] in FINAL]
    assert {source for source, target in need_status.ALLOWED
            if target == NeedStatus.CANCELLED} == set(need_status.LIVE)
    need_status.check(NeedStatus.OPEN, NeedStatus.CLAIMED)  # allowed: no error


def test_a_service_refuses_a_move_from_a_status_the_table_does_not_start_it_from(world, make_user):
    admin, need = make_user("admin"), world.need()
    error = refused(InvalidTransition, needs.fulfil, need, admin, None)
    assert "待认领" in error.message and _status(need) == "open"
    refused(InvalidTransition, needs.approve, need, admin)
    assert _status(need) == "open"
    assert not claims.take_need(world.need(status="fulfilled").id)


def _status_writes(tree: ast.AST) -> list[int]:
    """Lines that write a need's status: update(Need)...values(status=...) or
    x.status = NeedStatus.X."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr == "values" and any(k.arg == "status" for k in node.keywords) \
                and "update(Need)" in ast.unparse(node.func.value):
            lines.append(node.lineno)
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Attribute) and t.attr == "status" for t in node.targets) \
                and "NeedStatus" in ast.unparse(node.value):
            lines.append(node.lineno)
    return lines


def test_no_module_but_need_status_writes_a_need_status():
    own = Path(need_status.__file__).resolve()
    found = {str(path.relative_to(PACKAGE)): lines for path in PACKAGE.rglob("*.py")
             if path.resolve() != own
             and (lines := _status_writes(ast.parse(path.read_text(encoding="utf-8"))))}
    assert found == {}
    assert _status_writes(ast.parse(own.read_text(encoding="utf-8")))  # the scan sees a write
