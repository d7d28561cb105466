"""One cadre scope: every list narrows by services.scopes, and agrees with the predicate."""
from matchmaker import permissions
from matchmaker.extensions import db
from matchmaker.models import Region
from matchmaker.services import scopes
from matchmaker.services.market.need_queries import need_villages, scoped_needs
from matchmaker.services.registry.households import households_in_scope
from tests.conftest import OTHER_VILLAGE, TOWNSHIP, VILLAGE


def _villages_seen(user) -> set[str]:
    return {household.village.code for household in
            db.session.scalars(households_in_scope(user))}


def test_each_role_sees_its_own_regions_households(make_user, make_household):
    make_household(VILLAGE), make_household(OTHER_VILLAGE)
    assert _villages_seen(make_user("cadre", VILLAGE)) == {VILLAGE}
    assert _villages_seen(make_user("cadre", TOWNSHIP)) == {VILLAGE, OTHER_VILLAGE}
    assert _villages_seen(make_user("admin")) == {VILLAGE, OTHER_VILLAGE}


def test_a_user_who_is_no_cadre_sees_no_region(make_user, make_household):
    make_household(VILLAGE)
    organizer = make_user("organizer")
    assert list(db.session.scalars(scopes.cadre_region_ids(organizer))) == []
    assert _villages_seen(organizer) == set()


def test_the_subquery_agrees_with_the_predicate_region_by_region(make_user):
    for user in (make_user("cadre", VILLAGE), make_user("cadre", TOWNSHIP), make_user("admin")):
        seen = {region.id for region in db.session.scalars(
            db.select(Region).where(*scopes.in_cadre_scope(Region.id, user)))}
        every = db.session.scalars(db.select(Region)).all()
        assert seen == {region.id for region in every if permissions.region_in_scope(user, region)}


def test_needs_and_their_villages_follow_the_same_scope(world, make_user, make_household):
    home = world.need().village_id
    world.household = make_household(OTHER_VILLAGE)
    away = world.need(title="另一村的需求").village_id
    assert home != away
    cadre = make_user("cadre", VILLAGE)
    assert {need.village_id for need in db.session.scalars(scoped_needs(cadre, {}))} == {home}
    assert [region.id for region in need_villages(cadre)] == [home]
    township = make_user("cadre", TOWNSHIP)
    assert {need.village_id for need in db.session.scalars(scoped_needs(township, {}))} == {
        home, away}
