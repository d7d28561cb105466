"""Claims and pledges: one winner per need, capacity never over-spent, deadlines, stalled claims."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from matchmaker import jobs
from matchmaker.errors import AlreadyClaimed, Forbidden, Invalid, InvalidTransition, NotFound
from matchmaker.extensions import db
from matchmaker.models import AuditEvent, Claim, Donation, JobRecord, Need, Offer, donation_needs
from matchmaker.models.base import utcnow
from matchmaker.services.market import claims
from tests.services.world import claim, refused


def test_claiming_an_open_need_marks_it_claimed_due_in_30_days(world, organizer, org):
    need = world.need()
    made = claim(need, organizer)
    assert db.session.get(Need, need.id).status == "claimed"
    assert made.status == "active" and made.organization_id == org.id
    assert made.due_at - made.claimed_at == timedelta(days=30)
    assert db.session.scalar(select(AuditEvent.action).where(
        AuditEvent.object_type == "claims")) == "claim.create"


@pytest.mark.parametrize("app_config", [{"CLAIM_DAYS": 7}])
def test_claim_days_comes_from_the_configuration(world, organizer):
    made = claim(world.need(), organizer)
    assert made.due_at - made.claimed_at == timedelta(days=7)


def test_second_claim_of_a_need_by_another_organization_gets_already_claimed(world, organizer):
    need = world.need()
    claim(need, organizer)
    rival = world.organizer(world.organization())
    error = refused(AlreadyClaimed, claims.claim_need, need.id, rival, {})
    assert error.status == 409 and error.code == "already_claimed"
    assert db.session.scalar(select(func.count()).select_from(Claim)) == 1


def test_claiming_a_fulfilled_need_is_an_invalid_transition(world, organizer):
    need = world.need(status="fulfilled")
    refused(InvalidTransition, claims.claim_need, need.id, organizer, {})


def test_a_need_under_review_is_not_found_for_organizers(world, organizer):
    need = world.need(status="review")
    refused(NotFound, claims.claim_need, need.id, organizer, {})


def test_an_organizer_without_an_organization_is_forbidden(world, make_user):
    need = world.need()
    refused(Forbidden, claims.claim_need, need.id, make_user("organizer"), {})
    assert db.session.get(Need, need.id).status == "open"


def test_only_an_organizer_claims_in_an_organizations_name(world, make_user, org):
    """As records of help already were (issue 17): an admin whose account names an
    organization does not claim, pledge or answer takeovers for it."""
    need, admin = world.need(), make_user("admin")
    admin.organization_id = org.id
    db.session.commit()
    error = refused(Forbidden, claims.claim_need, need.id, admin, {})
    assert error.message == "请先登记本组织,才能认领需求"
    assert db.session.get(Need, need.id).status == "open"


def test_a_claim_with_a_service_offer_uses_one_household_of_capacity(world, organizer, org):
    offer = world.offer(org, capacity=3)
    made = claim(world.need(), organizer, offer_id=offer.id)
    assert made.offer_id == offer.id and made.quantity == 1
    assert db.session.get(Offer, offer.id).capacity_used == 1


def test_a_funds_claim_draws_the_need_amount_from_a_funds_offer(world, organizer, org):
    offer = world.offer(org, kind="funds", capacity=5000, amount_yuan=Decimal("5000"))
    need = world.need(kind="funds", category="study", title="大学学费",
                      amount_yuan=Decimal("3200"))
    made = claim(need, organizer, offer_id=offer.id)
    assert made.amount_yuan == Decimal("3200.00") and made.quantity is None
    assert db.session.get(Offer, offer.id).capacity_used == 3200


@pytest.mark.parametrize("need_kind, offer_kind, fits", [
    ("service", "service", True), ("goods", "goods", True), ("funds", "funds", True),
    ("job", "job", True), ("produce", "purchase", True), ("wish", "wish_adoption", True),
    ("wish", "goods", True), ("service", "goods", False), ("produce", "goods", False),
    ("funds", "wish_adoption", False),
])
def test_only_an_offer_of_a_fitting_kind_may_serve_a_need(world, organizer, org, need_kind,
                                                          offer_kind, fits):
    offer = world.offer(org, kind=offer_kind, capacity=10000)
    need = world.need(kind=need_kind, category="study", amount_yuan=Decimal("100"))
    if fits:
        assert claim(need, organizer, offer_id=offer.id).offer_id == offer.id
    else:
        error = refused(Invalid, claims.claim_need, need.id, organizer, {"offer_id": offer.id})
        assert error.fields == {"offer_id": "这项供给的类型与需求不符"}
        assert db.session.get(Need, need.id).status == "open"


def test_another_organizations_offer_cannot_be_used(world, organizer):
    foreign = world.offer(world.organization())
    need = world.need()
    error = refused(Invalid, claims.claim_need, need.id, organizer, {"offer_id": foreign.id})
    assert "offer_id" in error.fields
    assert db.session.get(Offer, foreign.id).capacity_used == 0


def test_short_capacity_gives_capacity_exhausted_and_changes_nothing(world, organizer, org):
    offer = world.offer(org, kind="goods", capacity=2)
    need = world.need(kind="goods", category="daily_life", title="棉被", quantity=3, unit="床")
    error = refused(claims.CapacityExhausted, claims.claim_need, need.id, organizer,
                    {"offer_id": offer.id})
    assert error.code == "capacity_exhausted" and error.status == 409
    assert db.session.get(Need, need.id).status == "open"
    assert db.session.get(Offer, offer.id).capacity_used == 0
    assert db.session.scalar(select(func.count()).select_from(Claim)) == 0


def test_a_full_offer_is_exhausted_and_opens_again_after_a_release(world, organizer, org):
    offer = world.offer(org, capacity=1)
    first = claim(world.need(), organizer, offer_id=offer.id)
    assert db.session.get(Offer, offer.id).status == "exhausted"
    refused(claims.CapacityExhausted, claims.claim_need, world.need().id, organizer,
            {"offer_id": offer.id})
    claims.release_claim(first.id, organizer, "人手不足")
    db.session.commit()
    again = db.session.get(Offer, offer.id)
    assert (again.status, again.capacity_used) == ("open", 0)


def test_a_team_holds_at_most_ten_active_claims(world, organizer, org):
    team = world.team(org)
    for _ in range(10):
        claim(world.need(), organizer, team_id=team.id)
    need = world.need()
    error = refused(claims.TooManyClaims, claims.claim_need, need.id, organizer,
                    {"team_id": team.id})
    assert error.code == "too_many_claims" and "上限10项" in error.message
    assert db.session.get(Need, need.id).status == "open"


def test_an_offers_team_counts_toward_its_limit(world, organizer, org):
    team = world.team(org)
    offer = world.offer(org, capacity=20, team_id=team.id)
    made = claim(world.need(), organizer, offer_id=offer.id)
    assert made.team_id == team.id


def test_release_reopens_the_need_and_gives_capacity_back(world, organizer, org):
    offer = world.offer(org, capacity=3)
    need = world.need()
    made = claim(need, organizer, offer_id=offer.id)
    claims.release_claim(made.id, organizer, "时间冲突")
    db.session.commit()
    released = db.session.get(Claim, made.id)
    assert (released.status, released.close_reason) == ("released", "时间冲突")
    assert db.session.get(Need, need.id).status == "open"
    assert db.session.get(Offer, offer.id).capacity_used == 0


def test_releasing_another_organizations_claim_is_not_found(world, organizer):
    made = claim(world.need(), organizer)
    rival = world.organizer(world.organization())
    refused(NotFound, claims.release_claim, made.id, rival, "不要了")
    assert db.session.get(Claim, made.id).status == "active"


def test_releasing_twice_is_an_invalid_transition(world, organizer):
    made = claim(world.need(), organizer)
    claims.release_claim(made.id, organizer, "时间冲突")
    db.session.commit()
    refused(InvalidTransition, claims.release_claim, made.id, organizer, "再次释放")


def _age(claim_row: Claim, days: int) -> None:
    claim_row.claimed_at -= timedelta(days=days)
    claim_row.due_at -= timedelta(days=days)
    db.session.commit()


def test_a_stalled_claim_is_released_with_its_reason_and_an_audit_event(world, organizer, org):
    offer = world.offer(org, capacity=2)
    need = world.need()
    made = claim(need, organizer, offer_id=offer.id)
    _age(made, 31)
    assert claims.release_stalled_claims(utcnow()) == 1
    db.session.commit()
    released = db.session.get(Claim, made.id)
    assert released.status == "released" and released.close_reason == claims.STALLED_REASON
    assert db.session.get(Need, need.id).status == "open"
    assert db.session.get(Offer, offer.id).capacity_used == 0
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "claim.release_stalled"))
    assert event.object_id == made.id and event.details["need_id"] == need.id


def test_a_claim_past_due_with_a_donation_recorded_is_kept(world, organizer, org):
    need = world.need(kind="goods", category="daily_life", title="棉被")
    made = claim(need, organizer)
    _age(made, 40)
    donation = Donation(organization_id=org.id, village_id=need.village_id, date=date.today(),
                        money_yuan=Decimal("300"))
    db.session.add(donation)
    db.session.flush()
    db.session.execute(donation_needs.insert().values(donation_id=donation.id, need_id=need.id))
    db.session.commit()
    assert claims.release_stalled_claims(utcnow()) == 0
    assert db.session.get(Claim, made.id).status == "active"


def test_a_claim_not_yet_due_is_kept(world, organizer):
    made = claim(world.need(), organizer)
    _age(made, 29)
    assert claims.release_stalled_claims(utcnow()) == 0
    assert db.session.get(Claim, made.id).status == "active"


def test_the_release_stalled_claims_job_releases_overdue_claims(world, organizer):
    made = claim(world.need(), organizer)
    _age(made, 31)
    record = jobs.enqueue("release_stalled_claims")
    db.session.expire_all()
    assert db.session.get(JobRecord, record.id).status == "finished"
    assert db.session.get(JobRecord, record.id).result == {"released": 1}
    assert db.session.get(Claim, made.id).status == "released"


def wheelchair(world) -> Need:
    return world.need(kind="goods", category="health", title="轮椅一台",
                      amount_yuan=Decimal("3000"))


def pledge(need, user, **data):
    made = claims.pledge(need.id, user, data)
    db.session.commit()
    return made


def test_pledges_keep_a_need_open_until_they_cover_it(world, organizer):
    need = wheelchair(world)
    pledge(need, organizer, amount_yuan=Decimal("1800"))
    assert db.session.get(Need, need.id).status == "open"
    assert claims.still_needed(need) == 1200
    pledge(need, world.organizer(world.organization()), amount_yuan=Decimal("1200"))
    assert db.session.get(Need, need.id).status == "claimed"
    assert claims.still_needed(need) == 0


def test_an_over_pledge_is_refused_with_the_amount_still_needed(world, organizer):
    need = wheelchair(world)
    pledge(need, organizer, amount_yuan=Decimal("2500"))
    rival = world.organizer(world.organization())
    error = refused(claims.OverPledged, claims.pledge, need.id, rival,
                    {"amount_yuan": Decimal("800")})
    assert error.code == "over_pledged" and "尚需500元" in error.message
    assert db.session.get(Need, need.id).status == "open"


def test_an_organization_pledges_once_per_need(world, organizer):
    need = wheelchair(world)
    pledge(need, organizer, amount_yuan=Decimal("500"))
    refused(AlreadyClaimed, claims.pledge, need.id, organizer, {"amount_yuan": Decimal("500")})


def test_pledges_by_quantity_for_a_need_counted_in_units(world, organizer, org):
    offer = world.offer(org, kind="goods", capacity=10)
    need = world.need(kind="goods", category="clothing", title="冬衣", quantity=8, unit="件")
    made = pledge(need, organizer, quantity=5, offer_id=offer.id)
    assert made.quantity == 5 and db.session.get(Offer, offer.id).capacity_used == 5
    error = refused(claims.OverPledged, claims.pledge, need.id,
                    world.organizer(world.organization()), {"quantity": 4})
    assert "尚需3件" in error.message


def test_a_whole_claim_of_a_partly_pledged_need_is_refused(world, organizer):
    need = wheelchair(world)
    pledge(need, organizer, amount_yuan=Decimal("1000"))
    error = refused(claims.PartlyPledged, claims.claim_need, need.id,
                    world.organizer(world.organization()), {})
    assert error.status == 409 and db.session.get(Need, need.id).status == "open"


def test_releasing_a_pledge_of_a_covered_need_reopens_it(world, organizer):
    need = wheelchair(world)
    first = pledge(need, organizer, amount_yuan=Decimal("1000"))
    pledge(need, world.organizer(world.organization()), amount_yuan=Decimal("2000"))
    claims.release_claim(first.id, organizer, "预算调整")
    db.session.commit()
    assert db.session.get(Need, need.id).status == "open"
    assert claims.still_needed(need) == 1000


def test_a_need_without_quantity_or_amount_cannot_be_pledged(world, organizer):
    need = world.need()
    error = refused(Invalid, claims.pledge, need.id, organizer, {"quantity": 1})
    assert "不能分担认捐" in error.fields["need"]


def test_cancelling_a_claimed_need_gives_the_offer_capacity_back(world, organizer, org,
                                                                 make_user):
    from matchmaker.services.market import needs

    offer = world.offer(org, capacity=1)
    need = world.need()
    claim(need, organizer, offer_id=offer.id)
    db.session.refresh(offer)
    assert offer.capacity_used == 1 and offer.status == "exhausted"
    needs.cancel(need, make_user("admin"), "户已搬迁")
    db.session.commit()
    db.session.refresh(offer)
    assert offer.capacity_used == 0 and offer.status == "open"
    assert db.session.scalar(select(Claim.status)) == "released"


def test_fulfilling_a_claimed_need_keeps_the_capacity_spent(world, organizer, org, make_user):
    from matchmaker.services.market import needs

    offer = world.offer(org, capacity=2)
    need = world.need()
    claim(need, organizer, offer_id=offer.id)
    needs.fulfil(need, make_user("admin"), "已签收")
    db.session.commit()
    db.session.refresh(offer)
    assert offer.capacity_used == 1 and db.session.scalar(select(Claim.status)) == "fulfilled"


def test_the_villages_cadres_hear_of_a_claim_and_organizers_of_a_claim_falling_due(
        world, organizer, org, make_user):
    from matchmaker.models import Notification
    from matchmaker.services.market import reminders

    village_cadre, township_cadre = make_user("cadre"), make_user("cadre", region="360302102000")
    other_cadre = make_user("cadre", region="360302102201")
    made = claim(world.need(), organizer)
    told = set(db.session.scalars(select(Notification.user_id).where(
        Notification.kind == "need.claimed")))
    assert told == {village_cadre.id, township_cadre.id} and other_cadre.id not in told
    assert reminders.claims_due_soon(made.due_at - timedelta(days=1)) == 1
    reminded = db.session.scalar(select(Notification).where(Notification.kind == "claim.due_soon"))
    assert reminded.user_id == organizer.id and "自动释放" in reminded.body
    assert reminders.claims_due_soon(made.due_at - timedelta(days=10)) == 0


# -- a whole claim takes the whole need (issue 18.4) ------------------------------------------

def test_a_whole_claim_stating_a_sliver_of_the_quantity_is_refused(world, organizer, org):
    offer = world.offer(org, kind="goods", capacity=1)
    need = world.need(kind="goods", category="daily_life", title="棉被", quantity=2, unit="床")
    error = refused(Invalid, claims.claim_need, need.id, organizer,
                    {"offer_id": offer.id, "quantity": 0.01})
    assert "全部数量" in error.fields["quantity"] and "分担认捐" in error.fields["quantity"]
    assert db.session.get(Offer, offer.id).capacity_used == 0
    assert db.session.get(Need, need.id).status == "open"
    refused(claims.CapacityExhausted, claims.claim_need, need.id, organizer,
            {"offer_id": offer.id})


def test_a_whole_funds_claim_stating_one_yuan_is_refused(world, organizer, org):
    offer = world.offer(org, kind="funds", capacity=100, amount_yuan=Decimal("100"))
    need = world.need(kind="funds", category="study", title="大学学费",
                      amount_yuan=Decimal("3000"))
    error = refused(Invalid, claims.claim_need, need.id, organizer,
                    {"offer_id": offer.id, "amount_yuan": Decimal("1")})
    assert "全部金额(3000)" in error.fields["amount_yuan"]
    refused(claims.CapacityExhausted, claims.claim_need, need.id, organizer,
            {"offer_id": offer.id})
    assert db.session.get(Offer, offer.id).capacity_used == 0
    assert db.session.get(Need, need.id).status == "open"


def test_a_whole_claim_may_state_the_needs_own_quantity(world, organizer, org):
    offer = world.offer(org, kind="goods", capacity=5)
    need = world.need(kind="goods", category="daily_life", title="棉被", quantity=2, unit="床")
    made = claim(need, organizer, offer_id=offer.id, quantity=2)
    assert made.quantity == 2 and db.session.get(Offer, offer.id).capacity_used == 2


def test_a_need_without_a_quantity_takes_what_the_claim_states(world, organizer, org):
    offer = world.offer(org, kind="goods", capacity=5)
    need = world.need(kind="goods", category="daily_life", title="棉被")
    claim(need, organizer, offer_id=offer.id, quantity=3)
    assert db.session.get(Offer, offer.id).capacity_used == 3


def test_pledged_money_is_summed_exactly_in_fen(world, organizer):
    """In floats the last share, exactly what is left, came out 'too much' (a 1e-9 tolerance
    is below a float's step at ten million 元)."""
    need = world.need(kind="funds", category="study", title="助学基金",
                      amount_yuan=Decimal("18067840.20"))
    pledge(need, organizer, amount_yuan=Decimal("8170772.02"))
    pledge(need, world.organizer(world.organization()), amount_yuan=Decimal("4826373.53"))
    assert claims.still_needed(need) == 5070694.65
    pledge(need, world.organizer(world.organization()), amount_yuan=Decimal("5070694.65"))
    assert db.session.get(Need, need.id).status == "claimed"
    assert claims.still_needed(need) == 0


def test_the_last_pledge_that_covers_a_need_claims_it_exactly(world, organizer):
    need = world.need(kind="funds", category="study", title="助学基金",
                      amount_yuan=Decimal("18813337.87"))
    pledge(need, organizer, amount_yuan=Decimal("7747477.12"))
    pledge(need, world.organizer(world.organization()), amount_yuan=Decimal("8609545.10"))
    pledge(need, world.organizer(world.organization()), amount_yuan=Decimal("2456315.65"))
    assert db.session.get(Need, need.id).status == "claimed"


def test_one_fen_over_what_is_left_is_over_pledged(world, organizer):
    need = world.need(kind="funds", category="study", title="助学基金",
                      amount_yuan=Decimal("0.30"))
    pledge(need, organizer, amount_yuan=Decimal("0.10"))
    error = refused(claims.OverPledged, claims.pledge, need.id,
                    world.organizer(world.organization()), {"amount_yuan": Decimal("0.21")})
    assert "尚需0.2元" in error.message


# -- an organization's limit of active claims (issue 18.13) -----------------------------------

@pytest.mark.parametrize("app_config", [{"ORG_OPEN_CLAIMS": 3}])
def test_an_organization_without_teams_holds_at_most_its_limit(world, organizer, org):
    for _ in range(2):
        claim(world.need(), organizer)
    pledge(wheelchair(world), organizer, amount_yuan=Decimal("100"))
    need = world.need()
    error = refused(claims.TooManyClaims, claims.claim_need, need.id, organizer, {})
    assert error.code == "too_many_claims" and "本组织已有3项" in error.message
    assert "上限3项" in error.message and db.session.get(Need, need.id).status == "open"
    refused(claims.TooManyClaims, claims.pledge, wheelchair(world).id, organizer,
            {"amount_yuan": Decimal("100")})


@pytest.mark.parametrize("app_config", [{"ORG_OPEN_CLAIMS": 2}])
def test_claims_with_and_without_a_team_count_toward_the_organizations_limit(world, organizer,
                                                                            org):
    team = world.team(org)
    claim(world.need(), organizer, team_id=team.id)
    claim(world.need(), organizer)
    error = refused(claims.TooManyClaims, claims.claim_need, world.need().id, organizer,
                    {"team_id": team.id})
    assert "本组织已有2项" in error.message
    other = world.organizer(world.organization())
    assert claim(world.need(), other).status == "active"


def test_the_organizations_limit_is_thirty_by_default_and_configurable(world, organizer, org):
    from flask import current_app

    from matchmaker import config

    assert current_app.config["ORG_OPEN_CLAIMS"] == 30
    assert config.from_environment({"MATCHMAKER_ORG_OPEN_CLAIMS": "12"}) == {
        "ORG_OPEN_CLAIMS": 12}
    teams = [world.team(org) for _ in range(3)]
    for team in teams:
        for _ in range(10):
            claim(world.need(), organizer, team_id=team.id)
    error = refused(claims.TooManyClaims, claims.claim_need, world.need().id, organizer,
                    {"team_id": world.team(org).id})
    assert "本组织已有30项" in error.message


def test_claims_naming_no_team_are_held_to_one_teams_limit(world, organizer, org):
    """The probe's bypass: without team_id an organization held 18 claims past the limit of 10."""
    for _ in range(10):
        claim(world.need(), organizer)
    need = world.need()
    error = refused(claims.TooManyClaims, claims.claim_need, need.id, organizer, {})
    assert "未指定服务队的认领已有10项" in error.message and "上限10项" in error.message
    assert db.session.get(Need, need.id).status == "open"
    assert claim(world.need(), organizer, team_id=world.team(org).id).status == "active"
