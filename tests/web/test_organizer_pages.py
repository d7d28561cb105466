"""Organizer pages: the guided registration, teams and volunteers, offers posted, edited, closed."""
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Branch, Offer, Organization, Team, User, Volunteer
from matchmaker.services.market import offers
from matchmaker.services.registry import orgs
from tests.conftest import TOWNSHIP, VILLAGE


def registered(user) -> Team:
    organization = orgs.create_organization({"name": "萍乡市星火公益服务中心",
                                             "kind": "social_org", "region_code": TOWNSHIP}, user)
    branch = orgs.add_branch(organization, {"name": "星火党支部", "level": "branch",
                                            "formation": "standalone"}, user)
    team = orgs.add_team({"branch_id": branch.id, "name": "星火助学服务队",
                          "categories": ["tutoring"], "region_code": VILLAGE, "radius_km": 20},
                         user)
    db.session.commit()
    return team


def test_an_unregistered_organizer_is_sent_to_register_first(client, login_as):
    login_as("organizer")
    response = client.get("/organizer/offers")
    assert response.status_code == 302 and response.location.endswith("/organizer/organization/new")
    page = client.get("/organizer/organization/new").get_data(as_text=True)
    assert "第1步" in page and "统一社会信用代码" in page and "五陂村" in page


def test_the_guided_flow_registers_organization_branch_and_team(client, login_as):
    user = login_as("organizer")
    response = client.post("/organizer/organization/new", data={
        "name": "萍乡市星火公益服务中心", "kind": "social_org", "region_code": TOWNSHIP,
        "credit_code": "52360302MJ4C55287D", "address": "五陂镇"})
    assert response.location.endswith("/organizer/branches/new")
    assert "党总支" in client.get("/organizer/branches/new").get_data(as_text=True)
    response = client.post("/organizer/branches/new", data={
        "name": "星火党支部", "level": "general_branch", "formation": "joint"})
    assert response.location.endswith("/organizer/teams/new")
    branch = db.session.scalar(select(Branch))
    response = client.post("/organizer/teams/new", data={
        "branch_id": branch.id, "name": "星火助学服务队", "categories": ["tutoring", "counselling"],
        "region_code": VILLAGE, "radius_km": "15"})
    assert response.location.endswith("/organizer/teams")
    team = db.session.scalar(select(Team))
    assert team.categories == ["tutoring", "counselling"] and team.branch_id == branch.id
    assert db.session.get(User, user.id).organization_id == db.session.scalar(
        select(Organization.id))
    page = client.get("/organizer/organization").get_data(as_text=True)
    assert "党总支" in page and "联合组建" in page and "星火助学服务队" in page


def test_a_wrong_credit_code_is_shown_on_the_form(client, login_as):
    login_as("organizer")
    response = client.post("/organizer/organization/new", data={
        "name": "萍乡市星火公益服务中心", "kind": "social_org", "region_code": TOWNSHIP,
        "credit_code": "52360302MJ4C55287E"})
    assert response.status_code == 422
    assert "统一社会信用代码校验位不正确" in response.get_data(as_text=True)
    assert db.session.scalar(select(Organization)) is None


def test_a_duplicate_organization_name_is_shown_on_the_form(client, login_as, make_user):
    registered(make_user("organizer"))
    login_as("organizer")
    response = client.post("/organizer/organization/new", data={
        "name": "萍乡市星火公益服务中心", "kind": "enterprise", "region_code": TOWNSHIP})
    assert response.status_code == 422 and "同名组织已登记" in response.get_data(as_text=True)


def test_a_team_without_categories_is_refused_on_the_form(client, login_as):
    user = login_as("organizer")
    registered(user)
    branch = db.session.scalar(select(Branch))
    response = client.post("/organizer/teams/new", data={
        "branch_id": branch.id, "name": "第二服务队", "region_code": VILLAGE, "radius_km": "5"})
    assert response.status_code == 422
    assert "请至少选择一个服务类别" in response.get_data(as_text=True)


def test_a_volunteer_is_added_and_listed_without_a_phone(client, login_as):
    user = login_as("organizer")
    team = registered(user)
    response = client.post(f"/organizer/teams/{team.id}/volunteers", data={
        "name": "钟雅婷", "phone": "13900002001", "is_party_member": "y", "skills": "数学, 英语"})
    assert response.status_code == 302
    volunteer = db.session.scalar(select(Volunteer))
    assert (volunteer.is_party_member, volunteer.skills) == (True, ["数学", "英语"])
    page = client.get("/organizer/teams").get_data(as_text=True)
    assert "钟雅婷" in page and "数学、英语" in page
    assert "13900002001" not in page and "2001" not in page


def test_a_bad_volunteer_phone_is_flashed_and_nothing_saved(client, login_as):
    team = registered(login_as("organizer"))
    client.post(f"/organizer/teams/{team.id}/volunteers", data={"name": "甲", "phone": "123"})
    assert db.session.scalar(select(Volunteer)) is None
    assert "请填写11位手机号码" in client.get("/organizer/teams").get_data(as_text=True)


def test_another_organizations_team_is_404(client, login_as, make_user):
    team = registered(make_user("organizer"))
    login_as("organizer")
    response = client.post(f"/organizer/teams/{team.id}/volunteers", data={"name": "甲"})
    assert response.status_code == 404


def test_the_new_offer_form_adapts_its_labels_to_the_kind(client, login_as):
    registered(login_as("organizer"))
    job = client.get("/organizer/offers/new?kind=job").get_data(as_text=True)
    assert "岗位数" in job and "月薪" in job and "工厂" in job and "可服务户数" not in job
    funds = client.get("/organizer/offers/new?kind=funds").get_data(as_text=True)
    assert "资金总额(元)" in funds and "岗位数" not in funds
    service = client.get("/organizer/offers/new").get_data(as_text=True)
    assert "可服务户数" in service and "课业辅导" in service


def test_an_offer_is_posted_and_listed_with_its_capacity_left(client, login_as):
    user = login_as("organizer")
    team = registered(user)
    response = client.post("/organizer/offers/new?kind=goods", data={
        "kind": "goods", "category": "household", "title": "冬季棉被", "quantity": "40",
        "unit": "床", "team_id": team.id})
    assert response.status_code == 302
    offer = db.session.scalar(select(Offer))
    offers.use_capacity(offer.id, 15)
    db.session.commit()
    page = client.get("/organizer/offers").get_data(as_text=True)
    assert "冬季棉被" in page and "40床" in page and "25床" in page and "可对接" in page


def test_an_offer_without_its_capacity_is_shown_on_the_form(client, login_as):
    registered(login_as("organizer"))
    response = client.post("/organizer/offers/new?kind=job", data={
        "kind": "job", "category": "factory", "title": "普工"})
    assert response.status_code == 422
    assert "就业岗位类供给须填写岗位数" in response.get_data(as_text=True)


def test_an_offer_is_edited_and_closed_from_the_pages(client, login_as):
    user = login_as("organizer")
    registered(user)
    offer = offers.create_offer({"kind": "service", "category": "tutoring",
                                 "title": "周末课业辅导", "quantity": 20, "unit": "户"}, user)
    db.session.commit()
    form = client.get(f"/organizer/offers/{offer.id}/edit").get_data(as_text=True)
    assert "周末课业辅导" in form and 'value="20' in form
    client.post(f"/organizer/offers/{offer.id}/edit", data={
        "kind": "service", "category": "tutoring", "title": "周末课业辅导", "quantity": "30",
        "unit": "户"})
    db.session.refresh(offer)
    assert offer.capacity == 30
    client.post(f"/organizer/offers/{offer.id}/close")
    db.session.refresh(offer)
    assert offer.status == "closed"
    assert "已关闭" in client.get("/organizer/offers").get_data(as_text=True)


def test_lowering_capacity_below_use_is_shown_on_the_edit_form(client, login_as):
    user = login_as("organizer")
    registered(user)
    offer = offers.create_offer({"kind": "service", "category": "tutoring",
                                 "title": "周末课业辅导", "quantity": 20, "unit": "户"}, user)
    offers.use_capacity(offer.id, 5)
    db.session.commit()
    response = client.post(f"/organizer/offers/{offer.id}/edit", data={
        "kind": "service", "category": "tutoring", "title": "周末课业辅导", "quantity": "3"})
    assert response.status_code == 422 and "不能少于已使用的5" in response.get_data(as_text=True)


def test_the_nav_links_to_the_offers_page(client, login_as):
    registered(login_as("organizer"))
    page = client.get("/organizer/offers").get_data(as_text=True)
    assert 'href="/organizer/offers" aria-current="page"' in page


def test_cadres_may_not_open_organizer_pages(client, login_as):
    login_as("cadre", region=VILLAGE)
    assert client.get("/organizer/offers").status_code == 403
    assert client.get("/organizer/organization/new").status_code == 403
