"""Fixtures of the API tests: a village, a household with a child, an organization, its organizer."""
import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Region
from tests.api.market import make_org, organizer_headers
from tests.conftest import VILLAGE, valid_id_number


@pytest.fixture
def village(app):
    return db.session.scalar(select(Region).where(Region.code == VILLAGE))


@pytest.fixture
def household(make_household):
    return make_household(head_name="刘长根", members=[
        {"name": "刘小燕", "relation": "child", "id_number": valid_id_number("20160909", 301)}])


@pytest.fixture
def org(village):
    return make_org(village, "赣鄱建材有限公司")


@pytest.fixture
def organizer(bearer, org):
    return organizer_headers(bearer, org)
