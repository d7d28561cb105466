"""The IDOR sweep: two users of one role, each with objects of their own; user 2 uses user 1's ids.

Pairs: the organizers of organizations A and B, and the cadres of 五陂村 and 长潭村 (A's records
are in 五陂村, B's in 长潭村). Every route with an id in its URL or body is sent three times, each
from the world as built (see world.py):

1. by user 2 naming user 1's object: refused with the codebase's answer for it (404 in the API;
   422 for an id in a body, which names the field; a page action's refusal redirects back with
   the error), and no table changes;
2. by user 2 naming an id that does not exist: exactly the same answer, so that the refusal does
   not tell user 2 the object exists;
3. by user 1 naming its own object, built the same way: it succeeds, so the ids are real and the
   refusal in 1 is about ownership, not a malformed request.

Lists must neither show user 1's objects to user 2 nor count them in `total`.
SQLite only: permissions do not depend on the database (see conftest.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Callable

import pytest

from tests.conftest import valid_id_number
from tests.security.world import (
    DAY, MISSING, PASSWORD, World, ledger, table_digests, upload,
)

REFUSED = "refused"  # a page action: redirected back with an error message


class Missing:
    """A side whose every object is an id that does not exist."""

    def __getattr__(self, name: str) -> int:
        return MISSING


@dataclass
class Case:
    name: str
    pair: str  # "organizer" or "cadre"
    method: str
    path: Callable  # (mine, theirs) → path
    body: Callable | None = None  # (mine, theirs) → body
    refused_with: int | str = 404
    #: False where the answer may differ for an id that does not exist, and why that is fine
    same_as_missing: bool = True

    @property
    def api(self) -> bool:
        return self.path(SIDES_FOR_NAMES, SIDES_FOR_NAMES).startswith("/api/")


SIDES_FOR_NAMES = SimpleNamespace(org=Missing(), home=Missing())
ROLES = {"organizer": ("organizer", "other_organizer"), "cadre": ("cadre", "other_cadre")}


def org(name, method, path, body=None, refused_with=404, **kwargs) -> Case:
    return Case(name, "organizer", method, path, body, refused_with, **kwargs)


def cadre(name, method, path, body=None, refused_with=404, **kwargs) -> Case:
    return Case(name, "cadre", method, path, body, refused_with, **kwargs)


def activity(m, t, team=None, volunteer=None) -> dict:
    return {"team_id": team or m.org.team, "date": DAY.isoformat(), "title": "入户走访",
            "category": "elderly_care", "village_code": m.home.village_code,
            "hours": [{"volunteer_id": volunteer or m.org.volunteer, "hours": 2}]}


def donation(m, **ids) -> dict:
    return {"village_code": m.home.village_code, "date": DAY.isoformat(), "money_yuan": 500,
            "household_ids": [m.home.household], **ids}


def purchase(m, **ids) -> dict:
    return {"village_code": m.home.village_code, "date": DAY.isoformat(), "product": "油茶",
            "unit": "斤", "quantity": 100, "yuan": 3000,
            "sellers": [{"household_id": m.home.household, "yuan": 3000}], **ids}


def need(household, **fields) -> dict:
    return {"household_id": household, "kind": "service", "category": "tutoring",
            "title": "代购药品", **fields}


def edit_form(m, village_code=None) -> dict:
    """The household edit page of the user's own household (blank ID numbers keep them)."""
    home = m.home
    rows = (("刘长根", "self", home.head), ("刘建国", "child", home.worker),
            ("刘小燕", "child", home.child))
    return {"village_code": village_code or home.village_code, "code": home.code,
            "head_name": home.village_name + "刘长根", "id_number": "", "phone": "",
            "status": "poor", "poverty_causes": ["illness"], "address": "新住址",
            **{f"members-{index}-{key}": value
               for index, (name, relation, member) in enumerate(rows)
               for key, value in (("name", home.village_name + name), ("relation", relation),
                                  ("id_number", ""), ("member_id", member))}}


NEW_HEAD = valid_id_number("19750505", 902)
RECORDS = ("activities", "donations", "placements", "purchases")
KIND = {"activities": "activity", "donations": "donation", "placements": "placement",
        "purchases": "purchase"}

CASES = [
    # -- the API, organizers: ids in the URL --------------------------------------------------
    org("get organization", "GET", lambda m, t: f"/api/v1/organizations/{t.org.org}"),
    org("add a branch", "POST", lambda m, t: f"/api/v1/organizations/{t.org.org}/branches",
        lambda m, t: {"name": "第二党支部", "level": "branch", "formation": "standalone"}),
    org("list branches", "GET", lambda m, t: f"/api/v1/organizations/{t.org.org}/branches"),
    org("get team", "GET", lambda m, t: f"/api/v1/teams/{t.org.team}"),
    org("add a volunteer", "POST", lambda m, t: f"/api/v1/teams/{t.org.team}/volunteers",
        lambda m, t: {"name": "新志愿者"}),
    org("list volunteers", "GET", lambda m, t: f"/api/v1/teams/{t.org.team}/volunteers"),
    org("get offer", "GET", lambda m, t: f"/api/v1/offers/{t.org.offer}"),
    org("change offer", "PATCH", lambda m, t: f"/api/v1/offers/{t.org.offer}",
        lambda m, t: {"title": "改了标题"}),
    org("close offer", "POST", lambda m, t: f"/api/v1/offers/{t.org.offer}/close"),
    org("release claim", "POST", lambda m, t: f"/api/v1/claims/{t.org.claim}/release",
        lambda m, t: {"reason": "人手不足"}),
    org("accept takeover", "POST",
        lambda m, t: f"/api/v1/claim-takeovers/{t.org.takeover_in}/accept", lambda m, t: {}),
    org("decline takeover", "POST",
        lambda m, t: f"/api/v1/claim-takeovers/{t.org.takeover_in}/decline", lambda m, t: {}),
    org("withdraw takeover", "POST",
        lambda m, t: f"/api/v1/claim-takeovers/{t.org.takeover_out}/withdraw"),
    org("accept match", "POST", lambda m, t: f"/api/v1/matches/{t.org.match}/accept"),
    org("decline match", "POST", lambda m, t: f"/api/v1/matches/{t.org.match}/decline"),
    org("read notification", "POST",
        lambda m, t: f"/api/v1/notifications/{t.org.notification}/read"),
    *[org(f"get {kind}", "GET",
          lambda m, t, kind=kind: f"/api/v1/{kind}/{getattr(t.org, KIND[kind])}")
      for kind in RECORDS],
    org("change activity", "PATCH", lambda m, t: f"/api/v1/activities/{t.org.activity}",
        lambda m, t: {"title": "改了标题"}),
    org("add activity hours", "POST", lambda m, t: f"/api/v1/activities/{t.org.activity}/hours",
        lambda m, t: {"hours": [{"volunteer_id": m.org.volunteer, "hours": 1}],
                      "note": "漏记"}),
    org("change donation", "PATCH", lambda m, t: f"/api/v1/donations/{t.org.donation}",
        lambda m, t: {"money_yuan": 2500}),
    org("change placement", "PATCH", lambda m, t: f"/api/v1/placements/{t.org.placement}",
        lambda m, t: {"wage_yuan_month": 3600}),
    org("follow up placement", "POST",
        lambda m, t: f"/api/v1/placements/{t.org.placement}/follow-up",
        lambda m, t: {"months": 3, "employed": True}),
    org("change purchase", "PATCH", lambda m, t: f"/api/v1/purchases/{t.org.purchase}",
        lambda m, t: {"note": "补充说明"}),
    # -- the API, organizers: ids in the body ---------------------------------------------------
    org("team of another's branch", "POST", lambda m, t: "/api/v1/teams",
        lambda m, t: {"branch_id": t.org.branch, "name": "新服务队", "categories": ["tutoring"],
                      "region_code": m.home.village_code, "radius_km": 20}),
    org("offer of another's team", "POST", lambda m, t: "/api/v1/offers",
        lambda m, t: {"kind": "service", "category": "tutoring", "title": "周末陪伴",
                      "team_id": t.org.team, "quantity": 3}, 422),
    org("offer moved to another's team", "PATCH", lambda m, t: f"/api/v1/offers/{m.org.offer}",
        lambda m, t: {"team_id": t.org.team}, 422),
    org("claim with another's offer", "POST",
        lambda m, t: f"/api/v1/needs/{m.home.need_open}/claim",
        lambda m, t: {"offer_id": t.org.offer}, 422),
    org("claim for another's team", "POST",
        lambda m, t: f"/api/v1/needs/{m.home.need_open}/claim",
        lambda m, t: {"team_id": t.org.team}, 422),
    org("pledge for another's team", "POST",
        lambda m, t: f"/api/v1/needs/{m.home.need_pledge}/pledge",
        lambda m, t: {"amount_yuan": 100, "team_id": t.org.team}, 422),
    org("takeover with another's offer", "POST",
        lambda m, t: f"/api/v1/needs/{m.org.need_takeable}/takeover",
        lambda m, t: {"reason": "我们离得更近", "offer_id": t.org.offer}, 422),
    org("activity of another's team", "POST", lambda m, t: "/api/v1/activities",
        lambda m, t: activity(m, t, team=t.org.team), 422),
    org("hours of another's volunteer", "POST", lambda m, t: "/api/v1/activities",
        lambda m, t: activity(m, t, volunteer=t.org.volunteer), 422),
    org("corrected hours of another's volunteer", "POST",
        lambda m, t: f"/api/v1/activities/{m.org.activity}/hours",
        lambda m, t: {"hours": [{"volunteer_id": t.org.volunteer, "hours": 1}], "note": "漏记"},
        422),
    org("donation by another's team", "POST", lambda m, t: "/api/v1/donations",
        lambda m, t: donation(m, team_id=t.org.team), 422),
    org("donation in another's name", "POST", lambda m, t: "/api/v1/donations",
        lambda m, t: donation(m, organization_id=t.org.org), 422),
    org("placement in another's job", "POST", lambda m, t: "/api/v1/placements",
        lambda m, t: {"offer_id": t.org.job, "member_id": m.home.head,
                      "start_date": DAY.isoformat()}, 422),
    org("purchase in another's name", "POST", lambda m, t: "/api/v1/purchases",
        lambda m, t: purchase(m, organization_id=t.org.org), 422),
    # -- the API, cadres ------------------------------------------------------------------------
    cadre("get household", "GET", lambda m, t: f"/api/v1/households/{t.home.household}"),
    cadre("get need under review", "GET", lambda m, t: f"/api/v1/needs/{t.home.need_review}"),
    cadre("fulfil need", "POST", lambda m, t: f"/api/v1/needs/{t.home.need_claimed}/fulfil",
          lambda m, t: {"note": "已签收"}),
    cadre("cancel need", "POST", lambda m, t: f"/api/v1/needs/{t.home.need_open}/cancel",
          lambda m, t: {"reason": "重复"}),
    *[cadre(f"get {kind} of the village", "GET",
            lambda m, t, kind=kind: f"/api/v1/{kind}/{getattr(t.org, KIND[kind])}")
      for kind in RECORDS],
    *[cadre(f"verify {kind}", "POST",
            lambda m, t, kind=kind: f"/api/v1/{kind}/{getattr(t.org, KIND[kind])}/verify")
      for kind in RECORDS],
    *[cadre(f"reject {kind}", "POST",
            lambda m, t, kind=kind: f"/api/v1/{kind}/{getattr(t.org, KIND[kind])}/reject",
            lambda m, t: {"reason": "不实"}) for kind in RECORDS],
    cadre("follow up a placement of the village", "POST",
          lambda m, t: f"/api/v1/placements/{t.org.placement}/follow-up",
          lambda m, t: {"months": 3, "employed": True}),
    cadre("need of another's household", "POST", lambda m, t: "/api/v1/needs",
          lambda m, t: need(t.home.household)),
    cadre("need of another's member", "POST", lambda m, t: "/api/v1/needs",
          lambda m, t: need(m.home.household, member_id=t.home.worker), 422),
    # regions are public: an unknown village code may be told apart from one out of scope
    cadre("household in another's village", "POST", lambda m, t: "/api/v1/households",
          lambda m, t: {"village_code": t.home.village_code, "head_name": "陈有福",
                        "id_number": NEW_HEAD, "status": "poor",
                        "members": [{"name": "陈有福", "relation": "self"}]}, 422,
          same_as_missing=False),
    # -- pages, organizers ----------------------------------------------------------------------
    org("page: release claim", "POST", lambda m, t: f"/organizer/claims/{t.org.claim}/release",
        lambda m, t: {"reason": "人手不足"}, REFUSED),
    org("page: accept takeover", "POST",
        lambda m, t: f"/organizer/takeovers/{t.org.takeover_in}/accept", lambda m, t: {},
        REFUSED),
    org("page: decline takeover", "POST",
        lambda m, t: f"/organizer/takeovers/{t.org.takeover_in}/decline", lambda m, t: {},
        REFUSED),
    org("page: withdraw takeover", "POST",
        lambda m, t: f"/organizer/takeovers/{t.org.takeover_out}/withdraw", lambda m, t: {},
        REFUSED),
    org("page: accept match", "POST", lambda m, t: f"/organizer/matches/{t.org.match}/accept",
        lambda m, t: {}, REFUSED),
    org("page: decline match", "POST", lambda m, t: f"/organizer/matches/{t.org.match}/decline",
        lambda m, t: {"reason": "人手不足"}, REFUSED),
    org("page: edit offer", "GET", lambda m, t: f"/organizer/offers/{t.org.offer}/edit"),
    org("page: save offer", "POST", lambda m, t: f"/organizer/offers/{t.org.offer}/edit",
        lambda m, t: {"kind": "service", "category": "tutoring", "title": "改了标题",
                      "quantity": "6"}),
    org("page: close offer", "POST", lambda m, t: f"/organizer/offers/{t.org.offer}/close"),
    org("page: add a volunteer", "POST", lambda m, t: f"/organizer/teams/{t.org.team}/volunteers",
        lambda m, t: {"name": "新志愿者"}),
    org("page: certificate", "GET",
        lambda m, t: f"/organizer/volunteers/{t.org.volunteer}/certificate"),
    org("page: team of another's branch", "POST", lambda m, t: "/organizer/teams/new",
        lambda m, t: {"branch_id": t.org.branch, "name": "新服务队", "categories": "tutoring",
                      "region_code": m.home.village_code, "radius_km": "20"}, 422),
    org("page: offer of another's team", "POST", lambda m, t: "/organizer/offers/new",
        lambda m, t: {"kind": "service", "category": "tutoring", "title": "周末陪伴",
                      "team_id": t.org.team, "quantity": "3"}, 422),
    # the activity page lists the organizer's own teams only: another's team shows nobody
    org("page: activity of another's team", "POST", lambda m, t: "/organizer/activities/new",
        lambda m, t: {"team_id": t.org.team, "date": DAY.isoformat(), "title": "入户走访",
                      "category": "elderly_care", "village_code": m.home.village_code,
                      f"v-{t.org.volunteer}": "on", "same_hours": "2"}, 422),
    org("page: certificate download", "GET",
        lambda m, t: f"/organizer/volunteers/{t.org.volunteer}/certificate.pdf"),
    org("page: follow up another's placement", "POST",
        lambda m, t: f"/organizer/placements/{t.org.placement}/follow-up",
        lambda m, t: {"months": "3", "employed": "y"}, REFUSED),
    # the delivery pages offer only the needs the organization holds; another's is refused
    org("page: donation for another's need", "POST", lambda m, t: "/organizer/donations/new",
        lambda m, t: {"need_ids": str(t.home.need_goods), "date": DAY.isoformat(),
                      "money_yuan": "500"}, 422),
    org("page: hire for another's job need", "POST", lambda m, t: "/organizer/placements/new",
        lambda m, t: {"need_id": str(t.home.need_job), "offer_id": str(m.org.job),
                      "start_date": DAY.isoformat()}, 422),
    org("page: hire into another's job", "POST", lambda m, t: "/organizer/placements/new",
        lambda m, t: {"need_id": str(m.home.need_job), "offer_id": str(t.org.job),
                      "start_date": DAY.isoformat()}, 422),
    org("page: purchase of another's produce need", "POST",
        lambda m, t: "/organizer/purchases/new",
        lambda m, t: {"need_ids": str(t.home.need_produce), "date": DAY.isoformat(),
                      "product": "白萝卜", "unit": "斤", "quantity": "500", "yuan": "250"}, 422),
    org("page: claim with another's offer", "POST",
        lambda m, t: f"/organizer/needs/{m.home.need_open}/claim",
        lambda m, t: {"offer_id": t.org.offer}, REFUSED),
    # -- pages, cadres ----------------------------------------------------------------------------
    cadre("page: household", "GET", lambda m, t: f"/cadre/households/{t.home.household}"),
    cadre("page: edit household", "GET",
          lambda m, t: f"/cadre/households/{t.home.household}/edit"),
    cadre("page: save household", "POST",
          lambda m, t: f"/cadre/households/{t.home.household}/edit",
          lambda m, t: edit_form(m)),
    cadre("page: move own household into another's village", "POST",
          lambda m, t: f"/cadre/households/{m.home.household}/edit",
          lambda m, t: edit_form(m, t.home.village_code), 422, same_as_missing=False),
    cadre("page: reveal ID number", "POST",
          lambda m, t: f"/cadre/households/{t.home.household}/reveal",
          lambda m, t: {"password": PASSWORD}),
    cadre("page: new need form", "GET",
          lambda m, t: f"/cadre/households/{t.home.household}/needs/new"),
    cadre("page: new need", "POST",
          lambda m, t: f"/cadre/households/{t.home.household}/needs/new",
          lambda m, t: need(t.home.household)),
    # the form names the household again: the household of the URL's form must be the cadre's
    cadre("page: new need for another's household", "POST",
          lambda m, t: f"/cadre/households/{m.home.household}/needs/new",
          lambda m, t: need(t.home.household), 200),
    cadre("page: fulfil need", "POST", lambda m, t: f"/cadre/needs/{t.home.need_claimed}/fulfil",
          lambda m, t: {"note": "已签收"}),
    cadre("page: verify activity", "POST",
          lambda m, t: f"/cadre/records/activity/{t.org.activity}/verify", lambda m, t: {},
          REFUSED),
    cadre("page: reject activity", "POST",
          lambda m, t: f"/cadre/records/activity/{t.org.activity}/reject",
          lambda m, t: {"reason": "不实"}, REFUSED),
    cadre("page: import batch", "GET", lambda m, t: f"/cadre/imports/{t.home.batch}"),
    cadre("page: apply import", "POST", lambda m, t: f"/cadre/imports/{t.home.batch}/apply"),
    cadre("page: import errors", "GET", lambda m, t: f"/cadre/imports/{t.home.batch}/errors.csv"),
]


def sides(w: World):
    """(user 1's sides, user 2's sides) as namespaces of org and home (village)."""
    return (SimpleNamespace(org=w.a, home=w.v), SimpleNamespace(org=w.b, home=w.o))


def send(w: World, case: Case, role: str, mine, theirs):
    path = case.path(mine, theirs)
    body = case.body(mine, theirs) if case.body else None
    client = w.client("anonymous" if case.api else role)
    kwargs = {"headers": w.headers(role) if case.api else {}}
    if body is not None:
        kwargs["json" if case.api else "data"] = body
    response = client.open(path, method=case.method, **kwargs)
    with client.session_transaction() as session:
        errors = [text for category, text in session.get("_flashes", []) if category == "error"]
    answer = response.get_json(silent=True) if case.api else None
    return response, errors, answer


def refused(case: Case, response, errors) -> bool:
    status, location = response.status_code, response.headers.get("Location", "")
    if case.refused_with == REFUSED:
        return 300 <= status < 400 and "/login" not in location and bool(errors)
    return status == case.refused_with


def succeeded(case: Case, response, errors) -> bool:
    status = response.status_code
    if case.api:
        return 200 <= status < 300
    return (200 <= status < 300 or 300 <= status < 400) and not errors


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_another_users_ids_are_refused_and_change_nothing(fresh, case):
    owner, intruder = ROLES[case.pair]
    first, second = sides(fresh)
    response, errors, answer = send(fresh, case, intruder, second, first)
    seen = (f"{case.method} {case.path(second, first)} as {intruder}: {response.status_code} "
            f"{errors or response.get_data()[:300].decode(errors='replace')}")
    assert refused(case, response, errors), seen
    assert fresh.changed_tables() == [], f"{seen}: changed these tables"
    if case.same_as_missing:
        missing = SimpleNamespace(org=Missing(), home=Missing())
        other, other_errors, other_answer = send(fresh, case, intruder, second, missing)
        assert (other.status_code, other_errors, other_answer) == (
            response.status_code, errors, answer), f"{seen}: told apart from a missing id"
        assert fresh.changed_tables() == []
    fresh.restore()
    response, errors, _ = send(fresh, case, owner, first, first)
    assert succeeded(case, response, errors), (
        f"the owner's own request must work: {case.method} {case.path(first, first)} as "
        f"{owner}: {response.status_code} {errors or response.get_data()[:300]}")


# -- changes that would move an object to another owner ---------------------------------------

@pytest.mark.parametrize("kind", ["donations", "purchases"])
def test_a_record_cannot_be_handed_to_another_organization(fresh, kind):
    """A PATCH naming another organization keeps the record with its own (the field is ignored)."""
    path = f"/api/v1/{kind}/{getattr(fresh.b, KIND[kind])}"
    client = fresh.client("anonymous")
    response = client.patch(path, json={"organization_id": fresh.a.org},
                            headers=fresh.headers("other_organizer"))
    assert response.status_code in (200, 422), response.get_json()
    table = kind
    assert fresh.count(f"SELECT organization_id FROM {table} WHERE id = ?",
                       getattr(fresh.b, KIND[kind])) == fresh.b.org
    assert fresh.count(f"SELECT count(*) FROM {table} WHERE organization_id = ?",
                       fresh.a.org) == 1
    listed = client.get(f"/api/v1/{kind}", headers=fresh.headers("organizer")).get_json()
    assert [item["id"] for item in listed["items"]] == [getattr(fresh.a, KIND[kind])]


def _import(fresh, role: str, village_code: str, head_id: str) -> dict:
    """Post a ledger (a queued import, done at once inline) and read back its counts and
    row errors: {created, updated, errors}."""
    client, headers = fresh.client("anonymous"), fresh.headers(role)
    queued = client.post(
        "/api/v1/households/import", data=upload(ledger(village_code, head_id, "SEC-X")),
        headers=headers, content_type="multipart/form-data")
    assert queued.status_code == 202, queued.get_json()
    batch = client.get(queued.headers["Location"], headers=headers).get_json()
    errors = client.get(f"{batch['rows_url']}?section=errors", headers=headers).get_json()
    return {**batch["counts"], "errors": errors["items"]}


REGISTRY = ("households", "members")


def test_an_import_cannot_take_over_another_villages_household(fresh):
    """A ledger row with the ID number of another village's head updates nothing there."""
    head = valid_id_number("19800808", 904)
    created = fresh.client("anonymous").post("/api/v1/households", headers=fresh.headers("cadre"),
                                             json={"village_code": fresh.v.village_code,
                                                   "head_name": "陈有福", "id_number": head,
                                                   "status": "poor"})
    assert created.status_code == 201, created.get_json()
    before = table_digests(fresh.live)
    result = _import(fresh, "other_cadre", fresh.o.village_code, head)
    assert result["created"] == 0 and result["updated"] == 0, result
    assert [error["field"] for error in result["errors"]] == ["id_number"], result
    changed = {name for name, digest in table_digests(fresh.live).items()
               if before[name] != digest}
    # the import's job record; the admins told of a number registered elsewhere (finding 8)
    assert changed <= {"import_batches", "audit_events", "jobs", "notifications"}, changed
    # the same row sent to the other cadre's neighbour village: out of its scope, refused
    result = _import(fresh, "other_cadre", fresh.v.village_code,
                     valid_id_number("19800808", 905))
    assert result["created"] == 0 and [e["field"] for e in result["errors"]] == ["village_code"]
    after = table_digests(fresh.live)
    assert all(after[table] == before[table] for table in REGISTRY)
    result = _import(fresh, "cadre", fresh.v.village_code, head)
    assert result["updated"] == 1, result


# -- lists: nothing of user 1's is shown to user 2, or counted ----------------------------------

def ids_of(body) -> set[int]:
    return {item["id"] for item in body["items"]}


def org_lists(w: World):
    """(path, user 1's ids, the count of user 2's own rows) for organizer B."""
    b, a = w.b, w.a
    organizer_b = w.b.organizer
    yield "/api/v1/offers", {a.offer, a.job}, w.count(
        "SELECT count(*) FROM offers WHERE organization_id = ?", b.org)
    yield "/api/v1/teams", {a.team}, w.count(
        "SELECT count(*) FROM teams JOIN branches ON branches.id = teams.branch_id "
        "WHERE branches.organization_id = ?", b.org)
    yield "/api/v1/claims", {a.claim, a.held_claim}, w.count(
        "SELECT count(*) FROM claims WHERE organization_id = ?", b.org)
    yield "/api/v1/claim-takeovers", {a.takeover_in, a.takeover_out}, w.count(
        "SELECT count(*) FROM claim_takeovers JOIN claims ON claims.id = claim_takeovers.claim_id"
        " WHERE claim_takeovers.organization_id = ? OR claims.organization_id = ?", b.org, b.org)
    yield "/api/v1/matches", {a.match}, w.count(
        "SELECT count(*) FROM matches JOIN offers ON offers.id = matches.offer_id "
        "WHERE offers.organization_id = ?", b.org)
    yield "/api/v1/notifications", {a.notification}, w.count(
        "SELECT count(*) FROM notifications WHERE user_id = ?", organizer_b)
    for kind in RECORDS:
        yield f"/api/v1/{kind}", {getattr(a, KIND[kind])}, w.count(
            f"SELECT count(*) FROM {kind} WHERE organization_id = ?", b.org)


def cadre_lists(w: World):
    """(path, user 1's ids, the count of user 2's own rows) for the cadre of 长潭村."""
    v, o, a = w.v, w.o, w.a
    yield "/api/v1/households", {v.household}, w.count(
        "SELECT count(*) FROM households WHERE village_id = ?", o.village)
    yield "/api/v1/needs?mine=1", {v.need_open, v.need_review, v.wish}, w.count(
        "SELECT count(*) FROM needs WHERE village_id = ?", o.village)
    yield "/api/v1/matches", {a.match}, w.count(
        "SELECT count(*) FROM matches JOIN needs ON needs.id = matches.need_id "
        "WHERE needs.village_id = ?", o.village)
    for kind in RECORDS:
        yield f"/api/v1/{kind}", {getattr(a, KIND[kind])}, w.count(
            f"SELECT count(*) FROM {kind} WHERE village_id = ?", o.village)


def list_cases():
    for role, lists in (("other_organizer", org_lists), ("other_cadre", cadre_lists)):
        for index, path in enumerate(LIST_PATHS[role]):
            yield pytest.param(role, lists, index, id=f"{role}:{path}")


LIST_PATHS = {
    "other_organizer": ["/api/v1/offers", "/api/v1/teams", "/api/v1/claims",
                        "/api/v1/claim-takeovers", "/api/v1/matches", "/api/v1/notifications",
                        *[f"/api/v1/{kind}" for kind in RECORDS]],
    "other_cadre": ["/api/v1/households", "/api/v1/needs?mine=1", "/api/v1/matches",
                    *[f"/api/v1/{kind}" for kind in RECORDS]],
}


@pytest.mark.parametrize(("role", "lists", "index"), list(list_cases()))
def test_lists_hold_and_count_only_the_users_own(fresh, role, lists, index):
    path, theirs, own = list(lists(fresh))[index]
    assert path == LIST_PATHS[role][index]
    body = fresh.client("anonymous").get(path, headers=fresh.headers(role)).get_json()
    assert own > 0, f"{path}: the world gives {role} objects of its own"
    assert not ids_of(body) & theirs, f"{path} as {role} shows another's: {body['items']}"
    assert body["total"] == own == len(body["items"]), (path, body["total"], own)


@pytest.mark.parametrize("kind", ["households", "needs", *RECORDS])
def test_a_cadre_filtering_on_another_village_gets_nothing(fresh, kind):
    """?village= (or ?region=) naming a place outside the cadre's scope narrows to nothing."""
    args = {"households": "village", "needs": "region"}.get(kind, "village")
    query = f"?{args}={fresh.v.village_code}" + ("&mine=1" if kind == "needs" else "")
    body = fresh.client("anonymous").get(f"/api/v1/{kind}{query}",
                                         headers=fresh.headers("other_cadre")).get_json()
    assert body["items"] == [] and body["total"] == 0, body
    mine = fresh.client("anonymous").get(f"/api/v1/{kind}{query}",
                                         headers=fresh.headers("cadre")).get_json()
    assert mine["total"] > 0, mine


def test_a_household_search_does_not_reach_another_village(fresh):
    name = fresh.v.village_name + "刘长根"
    body = fresh.client("anonymous").get("/api/v1/households", query_string={"q": name},
                                         headers=fresh.headers("other_cadre")).get_json()
    assert body["total"] == 0 and body["items"] == []
    body = fresh.client("anonymous").get("/api/v1/households", query_string={"q": name},
                                         headers=fresh.headers("cadre")).get_json()
    assert body["total"] == 1


PAGES = {
    "other_organizer": ["/organizer/", "/organizer/offers", "/organizer/teams",
                        "/organizer/activities", "/inbox/"],
    "other_cadre": ["/cadre/households", "/cadre/needs", "/cadre/verification",
                    "/cadre/matches?status=proposed"],
}


@pytest.mark.parametrize(("role", "path"), [(role, path) for role, paths in PAGES.items()
                                            for path in paths])
def test_pages_show_nothing_of_another_user(fresh, role, path):
    page = fresh.client(role).get(path)
    assert page.status_code == 200, page.status_code
    text = re.sub(r"\s+", " ", page.get_data(as_text=True))
    theirs = [fresh.a.name, fresh.a.team_name, fresh.a.volunteer_name,
              fresh.v.village_name + "刘长根", fresh.v.village_name + "周末课业辅导"]
    assert [name for name in theirs if name in text] == [], path


def test_verified_hours_export_holds_only_the_organizations_own(fresh):
    """The hours CSV of organization B holds none of A's volunteers, even when asked for A's."""
    client = fresh.client("anonymous")
    verified = client.post(f"/api/v1/activities/{fresh.a.activity}/verify",
                           headers=fresh.headers("cadre"))
    assert verified.status_code == 200, verified.get_json()
    client.post(f"/api/v1/activities/{fresh.b.activity}/verify",
                headers=fresh.headers("other_cadre"))
    ours = client.get("/api/v1/volunteer-hours.csv", headers=fresh.headers("organizer"))
    theirs = client.get("/api/v1/volunteer-hours.csv", query_string={"organization": fresh.a.org},
                        headers=fresh.headers("other_organizer"))
    assert fresh.a.volunteer_name in ours.get_data(as_text=True)
    assert fresh.a.volunteer_name not in theirs.get_data(as_text=True)
    assert fresh.b.volunteer_name in theirs.get_data(as_text=True)


# -- an organizer who has registered no organization yet ----------------------------------------

UNBOUND_LISTS = ["/api/v1/offers", "/api/v1/teams", *[f"/api/v1/{kind}" for kind in RECORDS]]
UNBOUND_REFUSED = ["/api/v1/claims", "/api/v1/claim-takeovers", "/api/v1/matches",
                   "/api/v1/volunteer-hours.csv"]


def test_an_organizer_without_organization_sees_nobodys_objects(fresh):
    """Its organization_id is NULL: no list may match other rows on it, no detail is shown."""
    client, headers = fresh.client("anonymous"), fresh.headers("unbound")
    for path in UNBOUND_LISTS:
        body = client.get(path, headers=headers).get_json()
        assert body["items"] == [] and body["total"] == 0, (path, body)
    for path in UNBOUND_REFUSED:
        assert client.get(path, headers=headers).status_code == 403, path
    a = fresh.a
    for path in (f"/api/v1/organizations/{a.org}", f"/api/v1/teams/{a.team}",
                 f"/api/v1/offers/{a.offer}", f"/api/v1/teams/{a.team}/volunteers",
                 *[f"/api/v1/{kind}/{getattr(a, KIND[kind])}" for kind in RECORDS]):
        assert client.get(path, headers=headers).status_code == 404, path
    ours = SimpleNamespace(org=a, home=fresh.v)
    for path, body in ((f"/api/v1/needs/{fresh.v.need_open}/claim", {}),
                       (f"/api/v1/claims/{a.claim}/release", {"reason": "人手不足"}),
                       (f"/api/v1/matches/{a.match}/accept", {}),
                       ("/api/v1/activities", activity(ours, ours)),
                       ("/api/v1/offers", {"kind": "service", "category": "tutoring",
                                           "title": "周末陪伴", "team_id": a.team,
                                           "quantity": 3})):
        response = client.post(path, json=body, headers=headers)
        assert response.status_code == 403, (path, response.get_json())
    assert fresh.changed_tables() == []
    page = fresh.client("unbound").get("/organizer/activities").get_data(as_text=True)
    assert a.team_name not in page and a.volunteer_name not in page
