"""The household pages keep ID numbers and phones hidden, refuse guessing, and keep what they do
not show: no re-shown form carries a stored number, wrong reveal passwords lock the account,
a number registered in another village gets a neutral refusal (its admins are told), and the
poverty causes are checkboxes that an edit keeps."""
import pytest
import io
from html.parser import HTMLParser

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from matchmaker.extensions import db
from matchmaker.models import Household, ImportBatch, Notification
from tests.conftest import OTHER_VILLAGE, TOWNSHIP, VILLAGE, valid_id_number

pytestmark = pytest.mark.both_databases

HEAD_ID = valid_id_number("19580312", 107)
CHILD_ID = valid_id_number("20080606", 108)
PHONE = "13900002222"
NEUTRAL = "该身份证号无法在此登记"


def form(**overrides) -> dict:
    data = {"village_code": VILLAGE, "head_name": "陈有福", "id_number": HEAD_ID,
            "phone": PHONE, "status": "monitored", "poverty_causes": ["illness", "lack_capital"],
            "address": "五陂村3组",
            "members-0-name": "陈有福", "members-0-relation": "self",
            "members-1-name": "陈小花", "members-1-relation": "child",
            "members-1-id_number": CHILD_ID, "members-1-is_student": "y"}
    return {**data, **overrides}


def register(client, **overrides) -> Household:
    response = client.post("/cadre/households/new", data=form(**overrides))
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(select(Household).order_by(Household.id.desc()))


def test_a_re_shown_edit_form_carries_no_stored_id_number_or_phone(client, login_as):
    login_as("cadre", region=VILLAGE)
    household = register(client)
    response = client.post(f"/cadre/households/{household.id}/edit",
                           data=form(head_name="", id_number="", phone="",
                                     **{"members-1-id_number": ""}))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "请填写户主姓名" in page
    assert HEAD_ID not in page and PHONE not in page and CHILD_ID not in page
    assert HEAD_ID[-4:] + '"' not in page  # not even the number's end as a field value


def test_the_causes_are_checkboxes_and_an_address_edit_keeps_everything_else(client, login_as):
    login_as("cadre", region=VILLAGE)
    page = client.get("/cadre/households/new").get_data(as_text=True)
    assert page.count('type="checkbox"') >= 12 and 'name="poverty_causes"' in page
    assert "<option" not in page.split("poverty_causes")[1].split("</fieldset>")[0]
    household = register(client)
    shown = _form_pairs(client, household)
    assert ("poverty_causes", "lack_capital") in shown
    assert HEAD_ID not in str(shown) and CHILD_ID not in str(shown) and PHONE not in str(shown)
    data = [(k, v) for k, v in shown if k != "address"]
    data.append(("address", "五陂村5组"))
    response = client.post(f"/cadre/households/{household.id}/edit", data=MultiDict(data))
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.refresh(household)
    assert household.address == "五陂村5组"
    assert household.poverty_causes == ["illness", "lack_capital"]
    child = household.members[1]
    assert child.is_student and child.id_number_hash is not None and household.phone_hash
    assert [m.name for m in household.members] == ["陈有福", "陈小花"]


def _form_pairs(client, household) -> list[tuple[str, str]]:
    """The edit page's form as a browser would send it back untouched."""
    reader = FormValues()
    reader.feed(client.get(f"/cadre/households/{household.id}/edit").get_data(as_text=True))
    return reader.pairs


class FormValues(HTMLParser):
    """What a browser submits: filled inputs, ticked boxes, the selected options."""

    def __init__(self):
        super().__init__()
        self.pairs: list[tuple[str, str]] = []
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self.pairs.append((attrs["name"], attrs.get("value") or ""))
        elif tag == "select":
            self.select = attrs.get("name")
        elif tag == "option" and self.select and "selected" in attrs:
            self.pairs.append((self.select, attrs.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None


def test_wrong_reveal_passwords_lock_the_account_like_failed_logins(client, login_as):
    cadre = login_as("cadre", region=VILLAGE)
    household = register(client)
    for _ in range(5):
        refused = client.post(f"/cadre/households/{household.id}/reveal",
                              data={"password": "wrong"})
        assert refused.status_code == 302
    locked = client.post(f"/cadre/households/{household.id}/reveal",
                         data={"password": "correct-horse-9"})
    assert locked.status_code == 429 and HEAD_ID not in locked.get_data(as_text=True)
    client.post("/logout")
    login = client.post("/login", data={"username": cadre.username,
                                         "password": "correct-horse-9"})
    assert login.status_code == 429


def test_a_number_registered_in_another_village_gets_a_neutral_refusal(
        client, login_as, make_user, bearer):
    township = make_user("cadre", region=TOWNSHIP)
    admin = make_user("admin")
    other_cadre = make_user("cadre", region=OTHER_VILLAGE)
    login_as("cadre", region=VILLAGE)
    registered = register(client)
    client.post("/logout")
    login_as("cadre", region=OTHER_VILLAGE)
    response = client.post("/cadre/households/new", data=form(village_code=OTHER_VILLAGE))
    client.post("/logout")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and NEUTRAL in page
    assert "另一户" not in page and registered.code not in page and "已登记" not in page
    api = client.post("/api/v1/households", headers=bearer("cadre", region=OTHER_VILLAGE), json={
        "village_code": OTHER_VILLAGE, "head_name": "陈有福", "id_number": HEAD_ID,
        "status": "poor", "members": [{"name": "陈有福", "relation": "self"}]})
    body = api.get_json()
    assert api.status_code == 422 and NEUTRAL in body["error"]["message"]
    assert registered.code not in str(body) and "另一户" not in str(body)
    told = db.session.scalars(select(Notification.user_id).where(
        Notification.kind == "household.duplicate")).all()
    assert set(told) == {township.id, admin.id} and other_cadre.id not in told
    note = db.session.scalar(select(Notification).where(Notification.user_id == township.id))
    assert registered.code in note.body and HEAD_ID not in note.body


def test_the_import_preview_refuses_a_number_of_another_village_neutrally(
        client, login_as, make_user):
    township = make_user("cadre", region=TOWNSHIP)
    login_as("cadre", region=VILLAGE)
    register(client)
    client.post("/logout")
    login_as("cadre", region=OTHER_VILLAGE)
    sheet = ("户编号,户主姓名,成员姓名,与户主关系,身份证号,家庭人口,户类型\n"
             f"P-9,陈有福,陈有福,户主,{HEAD_ID},1,脱贫户\n")
    response = client.post("/cadre/households/import", data={
        "file": (io.BytesIO(sheet.encode()), "ledger.csv"), "village_code": OTHER_VILLAGE},
        content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    [error] = db.session.scalar(select(ImportBatch)).preview["errors"]
    assert NEUTRAL in error["message"] and "其他村" not in error["message"]
    assert "其他村" not in page and "另一户" not in page
    assert db.session.scalar(select(Notification.user_id).where(
        Notification.kind == "household.duplicate")) == township.id
