"""The public wish board: open wishes with a pseudonym, age band and village, nothing personal."""
import re
from datetime import date

import pytest

from matchmaker.extensions import db
from matchmaker.models import Need, NeedStatus
from tests.api.receipts import claimed
from tests.conftest import OTHER_VILLAGE, VILLAGE, valid_id_number

CHILD_ID = valid_id_number("20160909", 401)


@pytest.fixture
def posted(client, bearer, make_household):
    household = make_household(head_name="周福生", phone="13911112222", members=[
        {"name": "周小梅", "relation": "child", "id_number": CHILD_ID}])
    cadre = bearer("cadre", region=VILLAGE)
    for title, category in (("一个新书包", "study"),):
        response = client.post("/api/v1/needs", headers=cadre, json={
            "household_id": household.id, "member_id": household.members[1].id, "kind": "wish",
            "category": category, "title": title, "amount_yuan": 150, "guardian_consent": True})
        assert response.status_code == 201
    return household, cadre, response.get_json()


def test_the_board_lists_open_wishes_without_personal_data(client, posted):
    household, _, _ = posted
    html = client.get("/wishes").get_data(as_text=True)
    assert "一个新书包" in html and "周同学" in html and "五陂村" in html and "小学" in html
    for secret in ("周福生", "周小梅", CHILD_ID, "13911112222", household.code):
        assert secret not in html
    assert 'data-key="wishes_posted"><span class="value">1<' in html


def test_a_lit_wish_leaves_the_board_and_is_counted(client, posted):
    _, cadre, wish = posted
    claimed(wish["id"])
    client.post(f"/api/v1/needs/{wish['id']}/fulfil", headers=cadre, json={"note": "已签收"})
    html = client.get("/wishes").get_data(as_text=True)
    assert "一个新书包" not in html
    assert 'data-key="wishes_fulfilled"><span class="value">1<' in html


def test_filters_by_category_and_region(client, posted):
    assert "一个新书包" not in client.get("/wishes?category=clothing").get_data(as_text=True)
    assert "一个新书包" in client.get("/wishes?region=360302102000").get_data(as_text=True)


def test_user_text_is_escaped(client, bearer, make_household):
    household = make_household(members=[{"name": "吴一", "relation": "spouse",
                                         "id_number": valid_id_number("19850505", 402)}])
    client.post("/api/v1/needs", headers=bearer("cadre", region=VILLAGE), json={
        "household_id": household.id, "member_id": household.members[1].id, "kind": "wish",
        "category": "daily_life", "title": "<script>alert(1)</script>电饭锅", "amount_yuan": 200})
    html = client.get("/wishes").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def board_count(html: str, key: str) -> str:
    return re.search(rf'data-key="{key}"><span class="value">([^<]+)<', html).group(1)


@pytest.mark.both_databases  # the wish count's SQL decides it
def test_an_expired_wish_is_posted_on_the_board_as_on_the_dashboard(client, posted):
    """One definition of a posted wish: published, not withdrawn; an expired one was published."""
    _, cadre, wish = posted
    need = db.session.get(Need, wish["id"])
    need.status, need.deadline = NeedStatus.EXPIRED, date(2026, 1, 1)
    db.session.commit()
    board = client.get("/wishes").text
    dashboard = client.get("/").text
    assert board_count(board, "wishes_posted") == "1" == re.search(
        r'data-key="wishes_posted">\s*<span class="value">([^<]+)<', dashboard).group(1)
    assert "一个新书包" not in board  # no longer open: not listed, but still counted


@pytest.mark.both_databases  # the wish count's SQL decides it
def test_the_board_counts_follow_its_filters(client, posted):
    assert board_count(client.get("/wishes?category=clothing").text, "wishes_posted") == "0"
    assert board_count(client.get("/wishes?category=study").text, "wishes_posted") == "1"
    assert board_count(client.get(f"/wishes?region={OTHER_VILLAGE}").text, "wishes_posted") == "0"


def test_each_wish_card_links_its_page_which_says_how_to_help(client, posted, login_as):
    household, cadre, wish = posted
    board = client.get("/wishes").text
    card = board[board.index(f'data-need="{wish["id"]}"'):]
    card = card[:card.index("</li>")]
    assert f'href="/wishes/{wish["id"]}"' in card and "怎样帮助" in card
    page = client.get(f"/wishes/{wish['id']}")
    assert page.status_code == 200 and "一个新书包" in page.text and "周同学" in page.text
    assert "/login?next=/organizer/needs?kind%3Dwish" in page.text  # an organizer claims it
    for secret in ("周福生", "周小梅", CHILD_ID, "13911112222", household.code):
        assert secret not in page.text  # never the household's name or contact
    login_as("organizer")
    assert 'href="/organizer/needs?kind=wish"' in client.get(f"/wishes/{wish['id']}").text


def test_a_wish_page_shows_only_public_wishes(client, posted, make_household, bearer):
    _, cadre, wish = posted
    claimed(wish["id"])
    assert "已有组织认领" in client.get(f"/wishes/{wish['id']}").text
    client.post(f"/api/v1/needs/{wish['id']}/fulfil", headers=cadre, json={"note": "已签收"})
    assert "已经点亮" in client.get(f"/wishes/{wish['id']}").text
    need = client.post("/api/v1/needs", headers=cadre, json={
        "household_id": posted[0].id, "kind": "service", "category": "tutoring",
        "title": "周末辅导"}).get_json()
    assert client.get(f"/wishes/{need['id']}").status_code == 404  # not a wish
    withdrawn = db.session.get(Need, wish["id"])
    withdrawn.status = NeedStatus.CANCELLED
    db.session.commit()
    assert client.get(f"/wishes/{wish['id']}").status_code == 404
