"""Fixtures of the service tests: a market world with one organization and its organizer."""
import pytest

from tests.services.world import World


@pytest.fixture
def world(app, make_user, make_household):
    return World(make_user, make_household())


@pytest.fixture
def org(world):
    return world.organization("赣鄱建材有限公司")


@pytest.fixture
def organizer(world, org):
    return world.organizer(org)
