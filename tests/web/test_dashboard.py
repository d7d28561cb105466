"""The public dashboard: verified figures for a region and period, drill-down, and downloads."""
import re
from datetime import date, datetime

import pytest

from matchmaker.extensions import db
from matchmaker.models import Need, Region
from tests.api.market import make_org
from tests.api.receipts import claimed
from tests.api.test_impact_api import activity
from tests.api.test_impact_article_000 import team_of
from tests.conftest import OTHER_VILLAGE, TOWNSHIP, VILLAGE


@pytest.fixture
def village(app) -> Region:
    return db.session.query(Region).filter_by(code=VILLAGE).one()


def figure(html: str, key: str) -> str:
    return re.search(rf'data-key="{key}">\s*<span class="value">([^<]+)<', html).group(1)


def test_the_dashboard_shows_verified_hours_by_region_and_period(client, village):
    team, people = team_of(make_org(village, "萍乡市灯塔计划公益发展中心"), village, volunteers=2)
    other = db.session.query(Region).filter_by(code=OTHER_VILLAGE).one()
    activity(team, village.id, date(2026, 3, 1), 4, volunteers=people)
    activity(team, other.id, date(2026, 5, 1), 3, volunteers=people[:1])
    activity(team, village.id, date(2026, 5, 2), 10, status="pending", volunteers=people)

    everywhere = client.get("/").text
    assert figure(everywhere, "volunteer_hours") == "11" and figure(everywhere, "activities") == "2"
    assert "志愿服务队" in everywhere and "萍乡市灯塔计划公益发展中心" in everywhere

    township = client.get(f"/?region={TOWNSHIP}").text
    assert f'data-region="{VILLAGE}"' in township and f'data-region="{OTHER_VILLAGE}"' in township
    assert f'href="/?region={VILLAGE}"' in township  # drill down to the village

    march = client.get(f"/?region={TOWNSHIP}&from=2026-03-01&to=2026-03-31").text
    assert figure(march, "volunteer_hours") == "8"
    assert f"by=month&metric=volunteer_hours&region={TOWNSHIP}&amp;from=2026-03-01" in march


def test_a_bad_period_is_said_in_chinese_and_the_whole_is_shown(client):
    page = client.get("/?from=2026-02-30")
    assert page.status_code == 200 and "日期格式须为" in page.text
    assert "echarts.common.min.js" in page.text


def option_codes(html: str) -> list[str]:
    picker = html[html.index('<form method="get" class="filters" id="scope">'):]
    picker = picker[:picker.index("</select>")]
    return re.findall(r'<option value="(\d{12})"', picker)


def test_the_region_picker_lists_the_provinces_and_the_places_along_the_trail(client):
    top = option_codes(client.get("/").text)
    provinces = db.session.query(Region).filter_by(parent_id=None).count()
    assert len(top) == provinces  # no county or village of the gazetteer until one drills down
    township = db.session.query(Region).filter_by(code=TOWNSHIP).one()
    deep = option_codes(client.get(f"/?region={TOWNSHIP}").text)
    assert {VILLAGE, OTHER_VILLAGE, TOWNSHIP, township.parent.code} <= set(deep)
    # in tree order: the township right after its county's earlier townships, its villages next
    assert deep.index(township.parent.code) < deep.index(TOWNSHIP) < deep.index(VILLAGE)
    assert len(deep) < 200


def test_the_platform_counts_follow_the_region_shown(client, village, make_household):
    make_household()
    assert figure(client.get(f"/?region={VILLAGE}").text, "platform-villages") == "1"
    assert figure(client.get(f"/?region={VILLAGE}").text, "platform-households") == "1"
    assert figure(client.get(f"/?region={OTHER_VILLAGE}").text, "platform-households") == "0"


@pytest.mark.both_databases  # the wish count's SQL decides it
def test_a_wish_lit_in_the_period_is_one_of_the_periods_posted_wishes(client, bearer,
                                                                       make_household):
    """A wish posted in December and lit in January: January shows 微心愿 1 beside 点亮微心愿 1."""
    household = make_household()
    cadre = bearer("cadre", region=VILLAGE)
    wish = client.post("/api/v1/needs", headers=cadre, json={
        "household_id": household.id, "member_id": household.members[0].id, "kind": "wish",
        "category": "daily_life", "title": "一床新棉被", "amount_yuan": 200}).get_json()
    claimed(wish["id"])
    assert client.post(f"/api/v1/needs/{wish['id']}/fulfil", headers=cadre,
                       json={"note": "已签收"}).status_code == 200
    need = db.session.get(Need, wish["id"])
    need.created_at, need.fulfilled_at = datetime(2025, 12, 20), datetime(2026, 1, 10)
    db.session.commit()
    january = client.get(f"/?region={VILLAGE}&from=2026-01-01&to=2026-01-31").text
    assert (figure(january, "wishes_posted"), figure(january, "wishes_fulfilled")) == ("1", "1")
    december = client.get(f"/?region={VILLAGE}&from=2025-12-01&to=2025-12-31").text
    assert (figure(december, "wishes_posted"), figure(december, "wishes_fulfilled")) == ("1", "0")
    february = client.get(f"/?region={VILLAGE}&from=2026-02-01&to=2026-02-28").text
    assert (figure(february, "wishes_posted"), figure(february, "wishes_fulfilled")) == ("0", "0")


def test_wishes_awaiting_a_claim_are_those_the_wish_board_lists(client, bearer, make_household):
    """待认领微心愿 on the dashboard counts the wishes the board offers: a claimed one is not."""
    household = make_household()
    cadre = bearer("cadre", region=VILLAGE)
    wishes = [client.post("/api/v1/needs", headers=cadre, json={
        "household_id": household.id, "member_id": household.members[0].id, "kind": "wish",
        "category": "daily_life", "title": title, "amount_yuan": 100}).get_json()
        for title in ("一只电水壶",)]
    page = client.get(f"/?region={VILLAGE}").text
    assert figure(page, "platform-open_wishes") == "1"
    claimed(wishes[0]["id"])
    assert figure(client.get(f"/?region={VILLAGE}").text, "platform-open_wishes") == "0"
    assert "一只电水壶" not in client.get(f"/wishes?region={VILLAGE}").text
