"""The organizer's needs list (takeover offered only on another organization's claim, filters kept
after an action) and the proposals' pages (the offering organization named, a decline's reason,
a round's proposals for the admin)."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import AuditEvent, Match, MatchRun, Region
from matchmaker.models.base import utcnow
from matchmaker.services.market import claims
from tests.api.market import make_need, make_offer, make_org
from tests.conftest import VILLAGE


@pytest.fixture
def village(app):
    return db.session.scalar(select(Region).where(Region.code == VILLAGE))


def organizer_of(login_as, org):
    user = login_as("organizer")
    user.organization_id = org.id
    db.session.commit()
    return user


def need_row(page: str, need_id: int) -> str:
    return page.split(f'data-need="{need_id}"')[1].split("</tr>")[0]


def test_a_takeover_is_offered_on_another_organizations_claim_never_on_its_own(
        client, login_as, make_user, village, make_household):
    household = make_household()
    mine, theirs = make_need(household, title="本组织认领的辅导"), make_need(household,
                                                                           title="别家认领的义诊")
    own_org, other_org = make_org(village, "赣鄱建材有限公司"), make_org(village, "信州区青年商会")
    holder = make_user("organizer")
    holder.organization_id = other_org.id
    claims.claim_need(theirs.id, holder, {})
    user = organizer_of(login_as, own_org)
    claims.claim_need(mine.id, user, {})
    db.session.commit()
    page = client.get("/organizer/needs?status=claimed").text
    assert "申请转接" not in need_row(page, mine.id) and "本组织已认领" in need_row(page, mine.id)
    assert "申请转接" in need_row(page, theirs.id) and "信州区青年商会" in need_row(page, theirs.id)

    sent = client.post(f"/organizer/needs/{theirs.id}/takeover?status=claimed&kind=service",
                       data={"reason": "服务队就在本村"})
    assert sent.status_code == 302
    again = client.get("/organizer/needs?status=claimed").text
    assert "已申请转接,等待对方答复" in need_row(again, theirs.id)
    assert "申请转接</button>" not in need_row(again, theirs.id)


def test_a_refused_takeover_goes_back_to_the_filtered_list(client, login_as, village,
                                                           make_household):
    need = make_need(make_household())
    organizer_of(login_as, make_org(village, "赣鄱建材有限公司"))
    refused = client.post(f"/organizer/needs/{need.id}/takeover?status=claimed&kind=service",
                          data={"reason": "就在本村"})
    assert refused.location.endswith("/organizer/needs?status=claimed&kind=service")


def test_the_claim_forms_keep_the_lists_filters(client, login_as, village, make_household):
    need = make_need(make_household())
    organizer_of(login_as, make_org(village, "赣鄱建材有限公司"))
    page = client.get(f"/organizer/needs?kind=service&region={VILLAGE}").text
    assert (f'action="/organizer/needs/{need.id}/claim?status=open&amp;region={VILLAGE}'
            f'&amp;kind=service"') in page


def proposal(village, household, org, run=None) -> Match:
    need = make_need(household, title="周末课业辅导")
    offer = make_offer(org, title="大学生暑期支教", region_id=village.id)
    match = Match(run_id=run.id if run else None, need_id=need.id, offer_id=offer.id, quantity=1,
                  score=0.8, reasons=[{"code": "fit", "value": 1, "label": "类别吻合"}],
                  created_at=utcnow(), expires_at=utcnow() + timedelta(days=14))
    db.session.add(match)
    db.session.commit()
    return match


def test_declining_a_proposal_asks_for_a_reason_and_keeps_it(client, login_as, village,
                                                             make_household):
    org = make_org(village, "赣鄱建材有限公司")
    match = proposal(village, make_household(), org)
    organizer_of(login_as, org)
    workbench = client.get("/organizer/").text
    assert "赣鄱建材有限公司" in workbench.split(f'data-match="{match.id}"')[1]
    assert 'name="reason"' in workbench.split(f'data-match="{match.id}"')[1]
    bare = client.post(f"/organizer/matches/{match.id}/decline", data={}, follow_redirects=True)
    assert "请填写拒绝原因" in bare.text and db.session.get(Match, match.id).status == "proposed"
    done = client.post(f"/organizer/matches/{match.id}/decline", data={"reason": "人手不足"},
                       follow_redirects=True)
    assert "已拒绝该匹配建议" in done.text
    db.session.expire_all()
    assert db.session.get(Match, match.id).status == "declined"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "match.decline"))
    assert event.details["reason"] == "人手不足"


def test_the_cadre_sees_which_organization_offers(client, login_as, village, make_household):
    match = proposal(village, make_household(), make_org(village, "赣鄱建材有限公司"))
    login_as("cadre", region=VILLAGE)
    page = client.get("/cadre/matches").text
    assert "赣鄱建材有限公司" in page.split(f'data-match="{match.id}"')[1].split("</tr>")[0]


def test_a_round_links_to_its_proposals(client, login_as, village, make_household):
    run = MatchRun(status="finished", proposals=1, timings={}, created_at=utcnow())
    db.session.add(run)
    db.session.commit()
    match = proposal(village, make_household(), make_org(village, "赣鄱建材有限公司"), run)
    other = proposal(village, make_household(), make_org(village, "信州区青年商会"))
    login_as("admin")
    runs = client.get("/admin/match-runs").text
    assert f'href="/admin/match-runs/{run.id}"' in runs
    shown = client.get(f"/admin/match-runs/{run.id}")
    assert shown.status_code == 200 and f'data-match="{match.id}"' in shown.text
    assert f'data-match="{other.id}"' not in shown.text and "赣鄱建材有限公司" in shown.text
    assert client.get("/admin/match-runs/999999").status_code == 404
