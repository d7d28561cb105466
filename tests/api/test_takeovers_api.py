"""The takeover API: request, answer, withdraw, list; and the organizer's takeover pages."""
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Claim, ClaimTakeover
from tests.api.market import claim, error_code, make_need, make_org, organizer_headers


def ask(client, headers, need_id, **body):
    return client.post(f"/api/v1/needs/{need_id}/takeover",
                       json={"reason": "我们的服务队就在本村", **body}, headers=headers)


def test_a_request_is_answered_by_the_holder_through_the_api(
        client, bearer, organizer, household, village):
    need = make_need(household)
    assert claim(client, organizer, need.id).status_code == 200
    rival = organizer_headers(bearer, make_org(village, "信州区青年商会"))
    response = ask(client, rival, need.id)
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "pending" and body["organization_name"] == "信州区青年商会"
    assert body["holder_organization"] == "赣鄱建材有限公司" and body["need_title"] == "周末课业辅导"

    incoming = client.get("/api/v1/claim-takeovers?direction=incoming", headers=organizer)
    assert [item["id"] for item in incoming.get_json()["items"]] == [body["id"]]
    assert client.get("/api/v1/claim-takeovers?direction=incoming",
                      headers=rival).get_json()["total"] == 0
    assert client.get("/api/v1/claim-takeovers?direction=outgoing",
                      headers=rival).get_json()["total"] == 1

    accepted = client.post(f"/api/v1/claim-takeovers/{body['id']}/accept",
                           json={"answer": "同意"}, headers=organizer)
    assert accepted.status_code == 200
    done = accepted.get_json()
    assert done["status"] == "accepted" and done["answer"] == "同意"
    new = db.session.get(Claim, done["new_claim_id"])
    assert new.status == "active" and new.organization_id != db.session.get(
        Claim, body["claim_id"]).organization_id


def test_the_requester_cannot_accept_its_own_request(client, bearer, organizer, household,
                                                    village):
    need = make_need(household)
    claim(client, organizer, need.id)
    rival = organizer_headers(bearer, make_org(village, "信州区青年商会"))
    takeover = ask(client, rival, need.id).get_json()
    response = client.post(f"/api/v1/claim-takeovers/{takeover['id']}/accept", headers=rival)
    assert response.status_code == 404
    withdrawn = client.post(f"/api/v1/claim-takeovers/{takeover['id']}/withdraw", headers=rival)
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "withdrawn"
    again = client.post(f"/api/v1/claim-takeovers/{takeover['id']}/decline", headers=organizer)
    assert again.status_code == 409 and error_code(again) == "invalid_transition"


def test_a_second_pending_request_is_409_and_a_missing_reason_422(
        client, bearer, organizer, household, village):
    need = make_need(household)
    claim(client, organizer, need.id)
    rival = organizer_headers(bearer, make_org(village, "信州区青年商会"))
    missing = client.post(f"/api/v1/needs/{need.id}/takeover", json={}, headers=rival)
    assert missing.status_code == 422
    assert missing.get_json()["error"]["fields"]["reason"] == "请填写转接理由"
    assert ask(client, rival, need.id).status_code == 201
    third = organizer_headers(bearer, make_org(village, "上饶市餐饮协会"))
    response = ask(client, third, need.id)
    assert response.status_code == 409 and error_code(response) == "takeover_pending"


def test_takeovers_are_for_organizers_only(client, bearer, organizer, household):
    need = make_need(household)
    claim(client, organizer, need.id)
    assert ask(client, bearer("cadre"), need.id).status_code == 403
    assert client.get("/api/v1/claim-takeovers").status_code == 401


def test_the_openapi_document_lists_the_takeover_endpoints(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "post" in paths["/api/v1/needs/{need_id}/takeover"]
    for action in ("accept", "decline", "withdraw"):
        assert "post" in paths[f"/api/v1/claim-takeovers/{{takeover_id}}/{action}"]


def test_the_pages_ask_for_and_answer_a_takeover(client, login_as, organizer, household,
                                                 village, org):
    need = make_need(household)
    claim(client, organizer, need.id)
    requester = login_as("organizer")
    requester.organization_id = make_org(village, "信州区青年商会").id
    db.session.commit()
    board = client.get("/organizer/needs?status=claimed")
    assert board.status_code == 200 and "周末课业辅导" in board.text and "申请转接" in board.text
    sent = client.post(f"/organizer/needs/{need.id}/takeover", data={"reason": "就在本村"},
                       follow_redirects=True)
    assert "已提交转接申请" in sent.text
    takeover = db.session.scalar(select(ClaimTakeover))
    assert takeover.status == "pending" and takeover.reason == "就在本村"
    assert "就在本村" in client.get("/organizer/").text  # the requester sees it as sent

    client.post("/logout")
    holder = login_as("organizer")
    holder.organization_id = org.id
    db.session.commit()
    workbench = client.get("/organizer/")
    assert "信州区青年商会" in workbench.text and "同意转接" in workbench.text
    answered = client.post(f"/organizer/takeovers/{takeover.id}/accept", data={"answer": ""},
                           follow_redirects=True)
    assert "已同意转接" in answered.text
    assert db.session.get(ClaimTakeover, takeover.id).status == "accepted"
