"""The cadre's household pages: list, register, detail, reveal, edit, import."""
import io

from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import AuditEvent, Household, ImportBatch
from tests.conftest import OTHER_VILLAGE, VILLAGE, valid_id_number

HEAD_ID = valid_id_number("19650101", 71)
CHILD_ID = valid_id_number("20100606", 82)


def form(**overrides) -> dict:
    data = {"village_code": VILLAGE, "head_name": "陈有福", "id_number": HEAD_ID,
            "phone": "13900001111", "status": "monitored", "poverty_causes": ["illness"],
            "members-0-name": "陈有福", "members-0-relation": "self",
            "members-1-name": "陈小花", "members-1-relation": "child",
            "members-1-id_number": CHILD_ID, "members-1-school_stage": "junior",
            "members-2-name": "", "members-2-relation": "self"}
    return {**data, **overrides}


def register(client) -> Household:
    response = client.post("/cadre/households/new", data=form())
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(select(Household))


def test_a_cadre_registers_a_household_and_blank_member_rows_are_ignored(client, login_as):
    login_as("cadre", region=VILLAGE)
    household = register(client)
    assert [m.name for m in household.members] == ["陈有福", "陈小花"]
    assert household.members[1].is_student


def test_invalid_input_is_shown_beside_the_field(client, login_as):
    login_as("cadre", region=VILLAGE)
    response = client.post("/cadre/households/new", data=form(id_number="123"))
    assert response.status_code == 422
    assert "身份证号应为18位" in response.get_data(as_text=True)


def test_the_list_shows_no_id_digits_and_no_phone(client, login_as):
    login_as("cadre", region=VILLAGE)
    register(client)
    html = client.get("/cadre/households").get_data(as_text=True)
    assert "陈有福" in html and "监测户" in html
    assert HEAD_ID[-4:] not in html and "1111" not in html


def test_the_detail_masks_and_is_audited_and_reveal_needs_the_password(client, login_as):
    login_as("cadre", region=VILLAGE)
    household = register(client)
    html = client.get(f"/cadre/households/{household.id}").get_data(as_text=True)
    assert HEAD_ID[:6] + "********" + HEAD_ID[-4:] in html and HEAD_ID not in html
    assert "139****1111" in html
    refused = client.post(f"/cadre/households/{household.id}/reveal",
                          data={"password": "wrong"}, follow_redirects=True)
    assert HEAD_ID not in refused.get_data(as_text=True)
    shown = client.post(f"/cadre/households/{household.id}/reveal",
                        data={"password": "correct-horse-9"})
    assert HEAD_ID in shown.get_data(as_text=True)
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    # the refusal redirects back to the detail page, which is a second view
    assert actions[-4:] == ["household.view", "id_number.reveal_refused", "household.view",
                            "id_number.reveal"]


def test_editing_keeps_the_hidden_id_numbers_when_left_blank(client, login_as):
    login_as("cadre", region=VILLAGE)
    household = register(client)
    page = client.get(f"/cadre/households/{household.id}/edit").get_data(as_text=True)
    assert HEAD_ID not in page and CHILD_ID not in page
    head, child = household.members
    assert f'name="members-1-member_id" type="hidden" value="{child.id}"' in page
    changed = form(id_number="", phone="", address="五陂村5组", **{
        "members-0-member_id": head.id, "members-1-member_id": child.id,
        "members-1-id_number": ""})
    assert client.post(f"/cadre/households/{household.id}/edit", data=changed).status_code == 302
    db.session.refresh(household)
    assert household.address == "五陂村5组" and household.members[1].id_number_hash is not None
    assert db.session.scalar(select(func.count()).select_from(Household)) == 1


def test_a_cadre_of_another_village_gets_404_and_organizers_403(client, login_as, app):
    login_as("cadre", region=VILLAGE)
    household = register(client)
    client.post("/logout")
    login_as("cadre", region=OTHER_VILLAGE)
    assert client.get(f"/cadre/households/{household.id}").status_code == 404
    client.post("/logout")
    login_as("organizer")
    assert client.get("/cadre/households").status_code == 403


def test_import_previews_then_applies_and_offers_the_error_report(client, login_as):
    login_as("cadre", region=VILLAGE)
    good, bad = valid_id_number("19700707", 91), "360302197007070000"
    sheet = ("户编号,户主姓名,成员姓名,与户主关系,身份证号,家庭人口,户类型\n"
             f"P-1,孙一,孙一,户主,{good},1,脱贫户\nP-2,孙二,孙二,户主,{bad},1,脱贫户\n")
    response = client.post("/cadre/households/import", data={
        "file": (io.BytesIO(sheet.encode()), "ledger.csv"), "village_code": VILLAGE},
        content_type="multipart/form-data")
    assert response.status_code == 302
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-key="create">将新增 <strong>1</strong>' in preview
    assert 'data-key="errors">有错误 <strong>1</strong>' in preview
    assert db.session.scalar(select(func.count()).select_from(Household)) == 0
    batch = db.session.scalar(select(ImportBatch))
    client.post(f"/cadre/imports/{batch.id}/apply")
    assert db.session.scalar(select(func.count()).select_from(Household)) == 1
    report = client.get(f"/cadre/imports/{batch.id}/errors.csv").get_data(as_text=True)
    assert report.startswith("\ufeff行号,字段,问题") and "\n3,身份证号," in report


def test_the_template_downloads_as_a_workbook(client, login_as):
    login_as("cadre", region=VILLAGE)
    response = client.get("/cadre/households/import/template.xlsx")
    assert response.status_code == 200 and response.data[:2] == b"PK"
