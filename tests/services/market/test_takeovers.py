"""Takeover requests: the holder agrees or declines; silence past the answer-by date grants it."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from matchmaker import jobs
from matchmaker.errors import Invalid, InvalidTransition, NotFound
from matchmaker.extensions import db
from matchmaker.models import (
    AuditEvent, Claim, ClaimTakeover, Need, Notification, Offer, Organization,
)
from matchmaker.models.base import utcnow
from matchmaker.services.market import claims, takeovers
from matchmaker.services.market.takeovers import TakeoverPending
from tests.services.world import claim, refused


@pytest.fixture
def rival(world):
    """A second organization's organizer, who wants to carry on the claim."""
    return world.organizer(world.organization("信州区青年商会"))


def organization_of(user) -> Organization:
    return db.session.get(Organization, user.organization_id)


def ask(need, user, **data):
    made = takeovers.request_takeover(need.id, user, {"reason": "我们的服务队就在本村", **data})
    db.session.commit()
    return made


def answer(takeover, user, accept: bool, text: str | None = None):
    done = takeovers.answer_takeover(takeover.id, user, accept, text)
    db.session.commit()
    return done


def test_a_request_tells_the_holder_and_gives_an_answer_by_date(world, organizer, rival):
    need = world.need()
    claim(need, organizer)
    takeover = ask(need, rival)
    assert takeover.status == "pending"
    assert takeover.answer_by - takeover.requested_at == timedelta(days=7)
    told = db.session.scalars(select(Notification).where(
        Notification.kind == "takeover.requested")).all()
    assert [note.user_id for note in told] == [organizer.id]
    assert "信州区青年商会" in told[0].title and "我们的服务队就在本村" in told[0].body


@pytest.mark.parametrize("app_config", [{"TAKEOVER_ANSWER_DAYS": 2}])
def test_the_answer_period_comes_from_the_configuration(world, organizer, rival):
    need = world.need()
    claim(need, organizer)
    takeover = ask(need, rival)
    assert takeover.answer_by - takeover.requested_at == timedelta(days=2)


def test_accepting_passes_the_claim_and_the_need_stays_claimed(world, organizer, org, rival):
    need = world.need()
    first = claim(need, organizer)
    takeover = answer(ask(need, rival), organizer, True, "同意,感谢接力")
    old, new = db.session.get(Claim, first.id), db.session.get(Claim, takeover.new_claim_id)
    assert takeover.status == "accepted" and takeover.answer == "同意,感谢接力"
    assert old.status == "transferred" and "信州区青年商会" in old.close_reason
    assert new.status == "active" and new.organization_id == rival.organization_id
    assert new.claimed_by_id == rival.id and new.due_at > old.due_at
    assert db.session.get(Need, need.id).status == "claimed"
    assert db.session.scalars(select(Notification.kind).where(
        Notification.user_id == rival.id)).all() == ["takeover.accepted"]


def test_the_holders_offer_gets_its_capacity_back_and_the_requesters_is_used(
        world, organizer, org, rival):
    mine = world.offer(org, capacity=2)
    theirs = world.offer(organization_of(rival), capacity=2)
    need = world.need()
    claim(need, organizer, offer_id=mine.id)
    answer(ask(need, rival, offer_id=theirs.id), organizer, True)
    assert db.session.get(Offer, mine.id).capacity_used == 0
    assert db.session.get(Offer, theirs.id).capacity_used == 1


def test_declining_keeps_the_claim_and_tells_the_requester(world, organizer, rival):
    need = world.need()
    first = claim(need, organizer)
    takeover = answer(ask(need, rival), organizer, False, "已在送达途中")
    assert takeover.status == "declined"
    assert db.session.get(Claim, first.id).status == "active"
    note = db.session.scalar(select(Notification).where(Notification.user_id == rival.id))
    assert note.kind == "takeover.declined" and note.body == "已在送达途中"


def test_a_request_can_be_answered_once_only(world, organizer, rival):
    need = world.need()
    claim(need, organizer)
    takeover = answer(ask(need, rival), organizer, False)
    refused(InvalidTransition, takeovers.answer_takeover, takeover.id, organizer, True, None)


def test_only_the_holder_may_answer_and_others_do_not_learn_it_exists(world, organizer, rival):
    need = world.need()
    claim(need, organizer)
    takeover = ask(need, rival)
    refused(NotFound, takeovers.answer_takeover, takeover.id, rival, True, None)
    outsider = world.organizer(world.organization("上饶市餐饮协会"))
    refused(NotFound, takeovers.answer_takeover, takeover.id, outsider, True, None)


def test_one_pending_request_per_claim(world, organizer, rival):
    need = world.need()
    claim(need, organizer)
    ask(need, rival)
    third = world.organizer(world.organization("上饶市餐饮协会"))
    error = refused(TakeoverPending, takeovers.request_takeover, need.id, third,
                    {"reason": "我们也想帮"})
    assert error.status == 409 and error.code == "takeover_pending"


def test_one_cannot_take_over_an_open_need_or_ones_own_claim(world, organizer, rival):
    need = world.need()
    refused(InvalidTransition, takeovers.request_takeover, need.id, rival, {"reason": "想帮"})
    claim(need, organizer)
    error = refused(Invalid, takeovers.request_takeover, need.id, organizer, {"reason": "想帮"})
    assert "claim_id" in error.fields


def test_a_jointly_pledged_need_asks_which_pledge(world, organizer, rival):
    need = world.need(kind="funds", category="other", title="轮椅", amount_yuan=3000)
    claims.pledge(need.id, organizer, {"amount_yuan": 1000})
    second = world.organizer(world.organization("上饶市餐饮协会"))
    claims.pledge(need.id, second, {"amount_yuan": 2000})
    db.session.commit()
    error = refused(Invalid, takeovers.request_takeover, need.id, rival, {"reason": "想帮"})
    assert error.fields["claim_id"].startswith("该需求由多个组织分担认捐")
    pledged = db.session.scalar(select(Claim).where(Claim.organization_id == second.organization_id))
    takeover = answer(ask(need, rival, claim_id=pledged.id), second, True)
    new = db.session.get(Claim, takeover.new_claim_id)
    assert float(new.amount_yuan) == 2000 and new.organization_id == rival.organization_id
    assert db.session.get(Need, need.id).status == "claimed"
    assert claims.still_needed(db.session.get(Need, need.id)) == 0


def test_an_unanswered_request_is_granted_by_the_periodic_job(world, organizer, rival):
    need = world.need()
    first = claim(need, organizer)
    takeover = ask(need, rival)
    takeover.answer_by = utcnow() - timedelta(minutes=1)
    db.session.commit()
    record = jobs.enqueue("grant_unanswered_takeovers")
    db.session.expire_all()
    assert record.status == "finished" and record.result == {"granted": 1}
    assert db.session.get(ClaimTakeover, takeover.id).status == "granted"
    assert db.session.get(Claim, first.id).status == "transferred"
    assert db.session.scalar(select(AuditEvent.action).where(
        AuditEvent.object_type == "claim_takeovers", AuditEvent.user_id.is_(None))) \
        == "takeover.granted"


def test_a_request_not_yet_due_is_left_to_the_holder(world, organizer, rival):
    need = world.need()
    claim(need, organizer)
    takeover = ask(need, rival)
    assert takeovers.grant_unanswered(utcnow()) == 0
    assert db.session.get(ClaimTakeover, takeover.id).status == "pending"


def test_an_overdue_request_that_cannot_go_through_is_withdrawn_with_the_reason(
        world, organizer, rival):
    theirs = world.offer(organization_of(rival), capacity=1)
    need = world.need()
    claim(need, organizer)
    takeover = ask(need, rival, offer_id=theirs.id)
    claim(world.need(title="另一项辅导"), rival, offer_id=theirs.id)  # uses the last unit
    db.session.get(ClaimTakeover, takeover.id).answer_by = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert takeovers.grant_unanswered(utcnow()) == 0
    db.session.commit()
    done = db.session.get(ClaimTakeover, takeover.id)
    assert done.status == "withdrawn" and done.answer.startswith("无法转接")
    assert db.session.scalar(select(Claim.status).where(Claim.need_id == need.id)) == "active"


def test_a_claim_released_meanwhile_withdraws_its_pending_request(world, organizer, rival):
    need = world.need()
    first = claim(need, organizer)
    takeover = ask(need, rival)
    claims.release_claim(first.id, organizer, "人手不足")
    db.session.commit()
    done = db.session.get(ClaimTakeover, takeover.id)
    assert done.status == "withdrawn" and done.answer == "认领已结束"


def test_the_requester_may_withdraw_its_request(world, organizer, rival):
    need = world.need()
    claim(need, organizer)
    takeover = ask(need, rival)
    refused(NotFound, takeovers.withdraw_takeover, takeover.id, organizer)
    takeovers.withdraw_takeover(takeover.id, rival)
    db.session.commit()
    assert db.session.get(ClaimTakeover, takeover.id).status == "withdrawn"
