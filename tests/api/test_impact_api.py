"""Impact breakdowns with small-count suppression, and the CSV and XLSX downloads."""
import csv
import io
from datetime import date

from openpyxl import load_workbook

from matchmaker.extensions import db
from matchmaker.models import Activity, ActivityHours, Donation, DonationItem, Region
from tests.api.market import make_org
from tests.api.test_impact_article_000 import team_of
from tests.conftest import OTHER_VILLAGE, TOWNSHIP, VILLAGE


def activity(team, village_id, day, hours, category="charity", extra=0, status="verified",
             volunteers=()):
    record = Activity(team_id=team.id, organization_id=team.branch.organization_id,
                      village_id=village_id, date=day, title="活动", category=category,
                      extra_beneficiaries=extra, status=status)
    db.session.add(record)
    db.session.flush()
    for volunteer in volunteers:
        db.session.add(ActivityHours(activity_id=record.id, volunteer_id=volunteer.id, date=day,
                                     hours=hours))
    db.session.commit()
    return record


def place(code: str) -> Region:
    return db.session.query(Region).filter_by(code=code).one()


def test_a_breakdown_by_village_sums_to_the_township_and_drills_down(client, village):
    team, people = team_of(make_org(village, "赣鄱建材有限公司"), village, volunteers=2)
    activity(team, place(VILLAGE).id, date(2026, 3, 1), 4, volunteers=people)
    activity(team, place(OTHER_VILLAGE).id, date(2026, 4, 1), 3, volunteers=people[:1])
    activity(team, place(OTHER_VILLAGE).id, date(2026, 4, 2), 9, status="pending",
             volunteers=people)
    rows = client.get(f"/api/v1/impact/breakdown?by=region&metric=volunteer_hours"
                      f"&region={TOWNSHIP}").get_json()["rows"]
    values = {row["key"]: row["value"] for row in rows}
    assert values[VILLAGE] == 8 and values[OTHER_VILLAGE] == 3
    total = client.get(f"/api/v1/impact?region={TOWNSHIP}").get_json()["figures"]
    assert total["volunteer_hours"] == sum(values.values()) == 11
    months = client.get("/api/v1/impact/breakdown?by=month&metric=activities"
                        "&from=2026-03-01&to=2026-04-30").get_json()["rows"]
    assert [(row["key"], row["value"]) for row in months] == [("2026-03", 1), ("2026-04", 1)]


def test_small_person_counts_are_suppressed_and_cannot_be_subtracted_out(client, village):
    team, people = team_of(make_org(village, "赣鄱建材有限公司"), village, volunteers=1)
    activity(team, place(VILLAGE).id, date(2026, 3, 1), 2, extra=3, volunteers=people)
    activity(team, place(OTHER_VILLAGE).id, date(2026, 3, 1), 2, extra=20, volunteers=[])
    activity(team, place(OTHER_VILLAGE).id, date(2026, 3, 2), 2, category="cleaning", extra=30)
    rows = client.get(f"/api/v1/impact/breakdown?by=region&metric=beneficiaries"
                      f"&region={TOWNSHIP}").get_json()["rows"]
    by_key = {row["key"]: row for row in rows}
    assert by_key[VILLAGE]["value"] is None and by_key[VILLAGE]["suppressed"] is True
    # the other village alone would give the first away from the township's total
    assert by_key[OTHER_VILLAGE]["value"] is None and by_key[OTHER_VILLAGE]["suppressed"]
    categories = client.get("/api/v1/impact/breakdown?by=category&metric=beneficiaries"
                            ).get_json()["rows"]
    assert {row["key"]: row["value"] for row in categories} == {"charity": 23, "cleaning": 30}


def test_health_disability_and_children_counts_need_ten(client, village):
    team, people = team_of(make_org(village, "赣鄱建材有限公司"), village, volunteers=1)
    activity(team, place(VILLAGE).id, date(2026, 3, 1), 2, category="medical", extra=7)
    activity(team, place(VILLAGE).id, date(2026, 3, 2), 2, category="cleaning", extra=7)
    activity(team, place(VILLAGE).id, date(2026, 3, 3), 2, category="repair", extra=12)
    rows = {row["key"]: row for row in client.get(
        "/api/v1/impact/breakdown?by=category&metric=beneficiaries").get_json()["rows"]}
    assert rows["medical"]["value"] is None and rows["medical"]["suppressed"]
    # 7 is enough to show outside health, disability and children, but as the smallest other
    # cell it is suppressed too, so that the medical count cannot be subtracted out
    assert rows["cleaning"]["value"] is None and rows["repair"]["value"] == 12


def test_bad_arguments_are_422_and_an_unknown_region_404(client):
    assert client.get("/api/v1/impact?from=2026-13-01").status_code == 422
    assert client.get("/api/v1/impact?from=2026-05-01&to=2026-04-01").status_code == 422
    assert client.get("/api/v1/impact/breakdown?by=street").status_code == 422
    assert client.get("/api/v1/impact/breakdown?by=region&metric=x").status_code == 422
    assert client.get("/api/v1/impact?region=999999999999").status_code == 404


def test_downloads_carry_the_figures_and_never_a_formula(client, village):
    org = make_org(village, "=HYPERLINK(\"http://x\")")
    team, people = team_of(org, village, volunteers=1)
    activity(team, place(VILLAGE).id, date(2026, 3, 1), 5, volunteers=people)
    donation = Donation(organization_id=org.id, village_id=place(VILLAGE).id,
                        date=date(2026, 3, 1), money_yuan=100, status="verified")
    db.session.add(donation)
    db.session.flush()
    db.session.add(DonationItem(donation_id=donation.id, item="+棉被", unit="床", quantity=20,
                                value_yuan=2000))
    db.session.commit()
    query = f"organization={org.id}&by=organization&metric=volunteer_hours"
    text = client.get(f"/api/v1/impact.csv?{query}").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert ["志愿服务时长(小时)", "5.0"] in rows
    assert ["捐赠金额(元)", "2100.0"] in rows
    assert ["'+棉被", "床", "20.0"] in rows
    assert any(row and row[0] == "'=HYPERLINK(\"http://x\")" for row in rows)
    book = load_workbook(io.BytesIO(client.get(f"/api/v1/impact.xlsx?{query}").data))
    cells = [cell.value for row in book.active.iter_rows() for cell in row if cell.value]
    assert "'+棉被" in cells and not any(
        isinstance(value, str) and value.startswith(("=", "+", "@")) for value in cells)
    assert book.active["A1"].data_type != "f"


def test_placements_followed_up_and_purchase_income_per_household(client, login_as, village,
                                                                  make_household):
    from matchmaker.models import Offer, Placement, Purchase, PurchaseShare

    org = make_org(village, "萍乡市非公企业党建联盟")
    offer = Offer(organization_id=org.id, kind="job", category="factory", title="普工",
                  openings=5, capacity=5, capacity_used=0)
    db.session.add(offer)
    homes = [make_household(head_name=f"务工{n}") for n in range(3)]
    db.session.flush()
    for n, home in enumerate(homes):
        db.session.add(Placement(offer_id=offer.id, organization_id=org.id, village_id=village.id,
                                 member_id=home.members[0].id, date=date(2025, 1, 1),
                                 status="verified", employed_at_3_months=n < 2,
                                 employed_at_6_months=n < 1))
    purchase = Purchase(organization_id=org.id, village_id=village.id, date=date(2026, 3, 1),
                        product="白萝卜", unit="斤", quantity=2300, yuan=2300, status="verified")
    db.session.add(purchase)
    db.session.flush()
    db.session.add(PurchaseShare(purchase_id=purchase.id, household_id=homes[0].id, yuan=1500))
    db.session.add(PurchaseShare(purchase_id=purchase.id, household_id=homes[1].id, yuan=800))
    db.session.commit()
    body = client.get("/api/v1/impact").get_json()
    assert body["outcomes"] == {"people_placed": 3, "still_employed_3_months": 2,
                                "still_employed_6_months": 1}
    assert body["figures"]["produce_purchased"] == [
        {"product": "白萝卜", "unit": "斤", "quantity": 2300.0, "yuan": 2300.0}]
    login_as("cadre")
    detail = client.get(f"/cadre/households/{homes[0].id}").text
    assert "经核实的1笔认购,共1,500.00元" in detail


def test_the_volunteer_hours_export_is_the_organizations_own(client, bearer, village):
    from tests.api.market import organizer_headers

    ours, theirs = make_org(village, "甲公司"), make_org(village, "乙公司")
    team, [tutor] = team_of(ours, village, volunteers=1)
    other_team, [other] = team_of(theirs, village, volunteers=1)
    activity(team, place(VILLAGE).id, date(2026, 3, 1), 4, volunteers=[tutor])
    activity(team, place(VILLAGE).id, date(2026, 3, 2), 9, status="pending", volunteers=[tutor])
    activity(other_team, place(VILLAGE).id, date(2026, 3, 1), 5, volunteers=[other])
    text = client.get("/api/v1/volunteer-hours.csv",
                      headers=organizer_headers(bearer, ours)).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1:] == [[str(tutor.id), "志愿者0", "志愿服务队", "甲公司", "4.0", "0.0", "1"]]
    assert client.get("/api/v1/volunteer-hours.csv").status_code == 401
    assert client.get("/api/v1/volunteer-hours.csv", headers=bearer("cadre")).status_code == 403
