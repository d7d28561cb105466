"""The permission matrix: every route of the pages and the API × every role, kept as data.

The URL's ids point at objects of organization A and village 五陂村 ("this" organization, "this"
village; see world.py). `EXPECTED` says what each role gets; a route missing from it, or an entry
for a route that no longer exists, fails `test_the_matrix_names_every_route_and_no_other`, so a
new route cannot ship without a decision. A refused unsafe request must leave every table as it
was. SQLite only: permissions do not depend on the database (see conftest.py).

Outcomes:
  allow    the API answers 2xx; a page answers 2xx, or redirects (not to /login) without an error
  login    not logged in: a page redirects to /login, the API answers 401
  forbid   403: the role may not use this route at all
  hidden   404: the object is not the caller's, and the caller is not told that it exists
  invalid  422: an id in the body is not the caller's (the same answer as for an id that does not
           exist); pages re-render the form with the error
  conflict 409: the request is allowed, but the state refuses it (an organizer's account already
           belongs to an organization)
  refused  a page action redirects back with an error message, as every page action does with a
           refusal (web/actions.py); nothing is changed
"""
from __future__ import annotations

import pytest

from matchmaker import create_app
from tests.conftest import BASE_CONFIG, TOWNSHIP, VILLAGE, valid_id_number
from tests.security.world import COUNTY, DAY, PASSWORD, ROLES, World, ledger, upload

A, L, F, H, I, C, R = "allow", "login", "forbid", "hidden", "invalid", "conflict", "refused"
OUTCOMES = {A, L, F, H, I, C, R}
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


def row(*outcomes: str) -> dict[str, str]:
    assert len(outcomes) == len(ROLES)
    return dict(zip(ROLES, outcomes))


PUBLIC = row(A, A, A, A, A, A, A)
LOGGED_IN = row(L, A, A, A, A, A, A)
ADMIN_ONLY = row(L, F, F, F, F, F, A)
ORGANIZERS = row(L, A, A, F, F, F, F)  # any organizer, for itself
OWN_ORGANIZER = row(L, A, H, F, F, F, F)  # the organizer of A only
OWN_ORGANIZER_PAGE = row(L, A, R, F, F, F, F)
ORGANIZATION_MANAGERS = row(L, A, H, F, F, F, A)  # A's organizer, or an admin
CADRES = row(L, F, F, A, A, A, A)  # any cadre (of its own scope) or admin
VILLAGE_SCOPE = row(L, F, F, A, H, A, A)  # the cadres of 五陂村 or its township, admins
VERIFY_PAGE = row(L, F, F, A, R, A, A)
RECORD_READERS = row(L, A, H, A, H, A, A)  # A's organizer, the place's cadres, admins
RECORD_LISTS = LOGGED_IN
TOWNSHIP_REVIEW = row(L, F, F, F, H, A, A)
UPLOADER_ONLY = row(L, F, F, A, H, H, H)  # an import batch is its uploader's alone
NEW_RECORD = row(L, A, I, F, F, F, F)  # the body names A's team, offer or organization

#                 columns: anonymous, organizer (A), other_organizer (B), cadre (五陂村),
#                          other_cadre (长潭村), township_cadre (五陂镇), admin
EXPECTED: dict[str, dict] = {
    # -- pages: public ------------------------------------------------------------------------
    "main.home": PUBLIC,
    "main.healthz": PUBLIC,
    "main.set_language": PUBLIC,
    "public.list_wishes": PUBLIC,
    "public.show_wish": PUBLIC,
    "public.check_certificate": PUBLIC,
    "auth.login": {"GET": PUBLIC, "POST": PUBLIC},
    "auth.logout": LOGGED_IN,
    "inbox.show_inbox": LOGGED_IN,
    "inbox.read_all": LOGGED_IN,
    # -- pages: admin -------------------------------------------------------------------------
    "admin.list_match_runs": ADMIN_ONLY,
    "admin.start_match_run": ADMIN_ONLY,
    "admin.show_match_run": ADMIN_ONLY,
    # -- pages: cadres --------------------------------------------------------------------------
    "cadre.home": CADRES,
    "cadre.list_households": CADRES,
    "cadre.new_household": {"GET": CADRES, "POST": row(L, F, F, A, I, A, A)},
    "cadre.show_household": VILLAGE_SCOPE,
    "cadre.edit_household": {"GET": VILLAGE_SCOPE, "POST": VILLAGE_SCOPE},
    "cadre.reveal_id_number": VILLAGE_SCOPE,
    "cadre.new_need": {"GET": VILLAGE_SCOPE, "POST": VILLAGE_SCOPE},
    "cadre.import_households": {"GET": CADRES, "POST": CADRES},
    "cadre.import_template": CADRES,
    "cadre.show_import": UPLOADER_ONLY,
    "cadre.apply_import": UPLOADER_ONLY,
    "cadre.import_errors": UPLOADER_ONLY,
    "cadre.list_needs": CADRES,
    "cadre.act_on_need": VILLAGE_SCOPE,
    "cadre.list_matches": CADRES,
    "cadre.verification_queue": CADRES,
    "cadre.verify_record": VERIFY_PAGE,
    "cadre.reject_record": VERIFY_PAGE,
    # -- pages: organizers ----------------------------------------------------------------------
    "organizer.workbench": ORGANIZERS,
    "organizer.register_organization": {"GET": ORGANIZERS, "POST": ORGANIZERS},
    "organizer.show_organization": ORGANIZERS,
    "organizer.new_branch": {"GET": ORGANIZERS, "POST": ORGANIZERS},
    "organizer.new_team": {"GET": ORGANIZERS, "POST": row(L, A, I, F, F, F, F)},
    "organizer.list_teams": ORGANIZERS,
    "organizer.add_volunteer": OWN_ORGANIZER,
    "organizer.browse_needs": ORGANIZERS,
    "organizer.claim_need": ORGANIZERS,
    "organizer.pledge_need": ORGANIZERS,
    "organizer.request_takeover": ORGANIZERS,
    "organizer.release_claim": OWN_ORGANIZER_PAGE,
    "organizer.accept_takeover": OWN_ORGANIZER_PAGE,
    "organizer.decline_takeover": OWN_ORGANIZER_PAGE,
    "organizer.withdraw_takeover": OWN_ORGANIZER_PAGE,
    "organizer.accept_match": OWN_ORGANIZER_PAGE,
    "organizer.decline_match": OWN_ORGANIZER_PAGE,
    "organizer.list_offers": ORGANIZERS,
    "organizer.new_offer": {"GET": ORGANIZERS, "POST": row(L, A, I, F, F, F, F)},
    "organizer.edit_offer": {"GET": OWN_ORGANIZER, "POST": OWN_ORGANIZER},
    "organizer.close_offer": OWN_ORGANIZER,
    "organizer.new_activity": {"GET": ORGANIZERS, "POST": row(L, A, I, F, F, F, F)},
    "organizer.list_activities": ORGANIZERS,
    "organizer.volunteer_certificate": OWN_ORGANIZER,
    "organizer.volunteer_certificate_pdf": OWN_ORGANIZER,
    "organizer.list_deliveries": ORGANIZERS,
    # the bodies name needs organization A holds: another organization may not record on them
    "organizer.new_donation": {"GET": ORGANIZERS, "POST": row(L, A, I, F, F, F, F)},
    "organizer.new_placement": {"GET": ORGANIZERS, "POST": row(L, A, I, F, F, F, F)},
    "organizer.new_purchase": {"GET": ORGANIZERS, "POST": row(L, A, I, F, F, F, F)},
    "organizer.follow_up_placement": OWN_ORGANIZER_PAGE,
    # -- API: accounts, regions, documentation ----------------------------------------------------
    "api.create_token": PUBLIC,
    "api.openapi_document": PUBLIC,
    "api.list_regions": PUBLIC,
    "api.create_region": ADMIN_ONLY,
    "api.get_county_rules": ADMIN_ONLY,
    "api.set_county_rules": ADMIN_ONLY,
    "api.list_notifications": LOGGED_IN,
    "api.read_all_notifications": LOGGED_IN,
    "api.read_notification": row(L, A, H, H, H, H, H),  # the addressee's own inbox only
    # -- API: households and needs ----------------------------------------------------------------
    "api.create_household": row(L, F, F, A, I, A, A),
    "api.list_households": CADRES,
    "api.get_household": VILLAGE_SCOPE,
    "api.import_households": CADRES,
    "api.get_import": UPLOADER_ONLY,
    "api.list_import_rows": UPLOADER_ONLY,
    "api.create_need": VILLAGE_SCOPE,
    "api.list_needs": PUBLIC,
    "api.get_need": row(H, H, H, A, H, A, A),  # under review: not public yet
    "api.fulfil_need": VILLAGE_SCOPE,
    "api.cancel_need": VILLAGE_SCOPE,
    "api.approve_need": TOWNSHIP_REVIEW,
    "api.reject_need_review": TOWNSHIP_REVIEW,
    # -- API: organizations and offers ---------------------------------------------------------
    "api.create_organization": row(L, C, C, F, F, F, A),
    "api.get_organization": ORGANIZATION_MANAGERS,
    "api.create_branch": ORGANIZATION_MANAGERS,
    "api.list_branches": ORGANIZATION_MANAGERS,
    "api.create_team": ORGANIZATION_MANAGERS,  # the body names A's branch
    "api.list_teams": row(L, A, A, F, F, F, A),
    "api.get_team": ORGANIZATION_MANAGERS,
    "api.create_volunteer": ORGANIZATION_MANAGERS,
    "api.list_volunteers": ORGANIZATION_MANAGERS,
    # the body names A's team: another organizer gets 422 on team_id, as claims and records do
    "api.create_offer": row(L, A, I, F, F, F, F),
    "api.list_offers": row(L, A, A, F, F, F, A),
    "api.get_offer": ORGANIZATION_MANAGERS,
    "api.update_offer": ORGANIZATION_MANAGERS,
    "api.close_offer": ORGANIZATION_MANAGERS,
    # -- API: claims, takeovers, matching ---------------------------------------------------------
    "api.claim_need": ORGANIZERS,
    "api.pledge_need": ORGANIZERS,
    "api.list_claims": ORGANIZERS,
    "api.release_claim": OWN_ORGANIZER,
    "api.request_takeover": ORGANIZERS,
    "api.list_takeovers": ORGANIZERS,
    "api.accept_takeover": OWN_ORGANIZER,
    "api.decline_takeover": OWN_ORGANIZER,
    "api.withdraw_takeover": OWN_ORGANIZER,
    "api.start_match_run": ADMIN_ONLY,
    "api.get_match_run": ADMIN_ONLY,
    "api.list_matches": LOGGED_IN,
    "api.accept_match": OWN_ORGANIZER,
    "api.decline_match": OWN_ORGANIZER,
    # -- API: records ---------------------------------------------------------------------------
    "api.create_activity": NEW_RECORD,
    "api.list_activities": RECORD_LISTS,
    "api.get_activity": RECORD_READERS,
    "api.update_activity": OWN_ORGANIZER,
    "api.correct_activity_hours": OWN_ORGANIZER,
    "api.verify_activity": VILLAGE_SCOPE,
    "api.reject_activity": VILLAGE_SCOPE,
    "api.create_donation": NEW_RECORD,
    "api.list_donations": RECORD_LISTS,
    "api.get_donation": RECORD_READERS,
    "api.update_donation": OWN_ORGANIZER,
    "api.verify_donation": VILLAGE_SCOPE,
    "api.reject_donation": VILLAGE_SCOPE,
    "api.create_placement": NEW_RECORD,
    "api.list_placements": RECORD_LISTS,
    "api.get_placement": RECORD_READERS,
    "api.update_placement": OWN_ORGANIZER,
    "api.follow_up_placement": RECORD_READERS,
    "api.verify_placement": VILLAGE_SCOPE,
    "api.reject_placement": VILLAGE_SCOPE,
    "api.create_purchase": NEW_RECORD,
    "api.list_purchases": RECORD_LISTS,
    "api.get_purchase": RECORD_READERS,
    "api.update_purchase": OWN_ORGANIZER,
    "api.verify_purchase": VILLAGE_SCOPE,
    "api.reject_purchase": VILLAGE_SCOPE,
    # -- API: impact (public) and exports ------------------------------------------------------
    "api.get_impact": PUBLIC,
    "api.get_impact_breakdown": PUBLIC,
    "api.impact_csv": PUBLIC,
    "api.impact_xlsx": PUBLIC,
    "api.volunteer_hours_csv": row(L, A, A, F, F, F, A),
}

# -- what each route is sent --------------------------------------------------------------------


def _record_kind(endpoint: str) -> str:
    return next(kind for kind in ("activity", "donation", "placement", "purchase")
                if endpoint.endswith(kind) or endpoint.endswith(kind + "s")
                or f"_{kind}_" in endpoint)


def url_args(endpoint: str, arguments, w: World) -> dict:
    """The URL's ids: objects of organization A and of 五陂村, in the state the route acts on."""
    by_name = {
        "household_id": w.v.household, "need_id": w.v.need_open, "offer_id": w.a.offer,
        "team_id": w.a.team, "volunteer_id": w.a.volunteer, "organization_id": w.a.org,
        "claim_id": w.a.claim, "takeover_id": w.a.takeover_in, "match_id": w.a.match,
        "notification_id": w.a.notification, "batch_id": w.v.batch, "run_id": w.shared.run,
        "placement_id": w.a.placement,
        "code": COUNTY, "kind": "activity", "action": "fulfil"}
    values = {name: by_name[name] for name in arguments if name in by_name}
    if "record_id" in arguments:
        kind = "activity" if endpoint.startswith("cadre.") else _record_kind(endpoint)
        values["record_id"] = w.a.ids[kind]
    values.update(STATE_ARGS.get(endpoint, lambda w: {})(w))
    if endpoint == "main.set_language":
        values["code"] = "en"
    return values


#: routes that act on an object in another state than the default one of its kind
STATE_ARGS = {
    "public.show_wish": lambda w: {"need_id": w.v.wish},
    # a receipt is only for a need someone claimed (issue 19)
    "api.fulfil_need": lambda w: {"need_id": w.v.need_claimed},
    "cadre.act_on_need": lambda w: {"need_id": w.v.need_claimed},
    "api.get_need": lambda w: {"need_id": w.v.need_review},
    "api.approve_need": lambda w: {"need_id": w.v.need_review},
    "api.reject_need_review": lambda w: {"need_id": w.v.need_review},
    "api.pledge_need": lambda w: {"need_id": w.v.need_pledge},
    "organizer.pledge_need": lambda w: {"need_id": w.v.need_pledge},
    "api.request_takeover": lambda w: {"need_id": w.a.need_takeable},
    "organizer.request_takeover": lambda w: {"need_id": w.a.need_takeable},
    "api.withdraw_takeover": lambda w: {"takeover_id": w.a.takeover_out},
    "organizer.withdraw_takeover": lambda w: {"takeover_id": w.a.takeover_out},
}

NEW_HEAD = valid_id_number("19750505", 901)


def household_form(w: World, **overrides) -> dict:
    """The registration page's fields for a new household of 五陂村."""
    return {"village_code": VILLAGE, "head_name": "陈有福", "id_number": NEW_HEAD,
            "status": "monitored", "poverty_causes": ["illness"],
            "members-0-name": "陈有福", "members-0-relation": "self", **overrides}


def edit_form(w: World) -> dict:
    return {"village_code": VILLAGE, "code": w.v.code, "head_name": "五陂村刘长根", "id_number": "",
            "status": "poor", "poverty_causes": ["illness"], "address": "五陂村5组",
            "phone": "", **{f"members-{index}-{key}": value
                            for index, (name, relation, member) in enumerate((
                                ("五陂村刘长根", "self", w.v.head),
                                ("五陂村刘建国", "child", w.v.worker),
                                ("五陂村刘小燕", "child", w.v.child)))
                            for key, value in (("name", name), ("relation", relation),
                                               ("id_number", ""), ("member_id", member))}}


def activity_body(w: World) -> dict:
    return {"team_id": w.a.team, "date": DAY.isoformat(), "title": "入户走访",
            "category": "elderly_care", "village_code": VILLAGE,
            "hours": [{"volunteer_id": w.a.volunteer, "hours": 2}]}


#: (json, form) bodies of the unsafe requests; ids name A's objects and 五陂村
BODIES = {
    "auth.login": lambda w: {"username": w.users["spare"], "password": PASSWORD},
    "admin.start_match_run": lambda w: {"region_code": COUNTY},
    "organizer.decline_match": lambda w: {"reason": "人手不足"},
    "cadre.new_household": household_form,
    "cadre.edit_household": edit_form,
    "cadre.reveal_id_number": lambda w: {"password": PASSWORD},
    "cadre.new_need": lambda w: {"household_id": w.v.household, "kind": "service",
                                 "category": "tutoring", "title": "代购药品"},
    "cadre.import_households": lambda w: upload(ledger(VILLAGE, NEW_HEAD)),
    "cadre.act_on_need": lambda w: {"note": "已签收"},
    "cadre.reject_record": lambda w: {"reason": "时长不实"},
    "organizer.register_organization": lambda w: {"name": "新登记的组织", "kind": "enterprise",
                                                  "region_code": VILLAGE},
    "organizer.new_branch": lambda w: {"name": "第二党支部", "level": "branch",
                                       "formation": "standalone"},
    "organizer.new_team": lambda w: {"branch_id": w.a.branch, "name": "新服务队",
                                     "categories": "tutoring", "region_code": VILLAGE,
                                     "radius_km": "20"},
    "organizer.add_volunteer": lambda w: {"name": "新志愿者"},
    "organizer.pledge_need": lambda w: {"amount_yuan": "100"},
    "organizer.request_takeover": lambda w: {"reason": "我们离得更近"},
    "organizer.release_claim": lambda w: {"reason": "人手不足"},
    "organizer.accept_takeover": lambda w: {"answer": "同意"},
    "organizer.decline_takeover": lambda w: {"answer": "不同意"},
    "organizer.new_offer": lambda w: {"kind": "service", "category": "tutoring",
                                      "title": "周末陪伴", "team_id": w.a.team, "quantity": "3"},
    "organizer.edit_offer": lambda w: {"kind": "service", "category": "tutoring",
                                       "title": "暑期支教(改)", "team_id": w.a.team,
                                       "quantity": "6"},
    "organizer.new_activity": lambda w: {
        "team_id": w.a.team, "date": DAY.isoformat(), "title": "入户走访",
        "category": "elderly_care", "village_code": VILLAGE, f"v-{w.a.volunteer}": "on",
        "same_hours": "2"},
    "organizer.new_donation": lambda w: {"need_ids": str(w.v.need_goods), "date": DAY.isoformat(),
                                         "goods-0-item": "棉被", "goods-0-unit": "床",
                                         "goods-0-quantity": "10", "goods-0-value_yuan": "800"},
    "organizer.new_placement": lambda w: {"need_id": str(w.v.need_job), "offer_id": str(w.a.job),
                                          "start_date": DAY.isoformat(),
                                          "wage_yuan_month": "3000"},
    "organizer.new_purchase": lambda w: {"need_ids": str(w.v.need_produce),
                                         "date": DAY.isoformat(), "product": "白萝卜",
                                         "unit": "斤", "quantity": "500", "yuan": "250"},
    "organizer.follow_up_placement": lambda w: {"months": "3", "employed": "y"},
    "api.create_token": lambda w: {"username": w.users["spare"], "password": PASSWORD},
    "api.create_region": lambda w: {"code": "360302102299", "name": "测试村", "level": "village",
                                    "parent_code": TOWNSHIP, "lat": 27.6, "lon": 113.9},
    "api.set_county_rules": lambda w: {"township_review": False,
                                       "one_open_wish_per_member": True},
    "api.create_household": lambda w: {
        "village_code": VILLAGE, "head_name": "陈有福", "id_number": NEW_HEAD,
        "status": "poor", "poverty_causes": ["illness"],
        "members": [{"name": "陈有福", "relation": "self"}]},
    "api.import_households": lambda w: {**upload(ledger(VILLAGE, NEW_HEAD)), "dry_run": "1"},
    "api.create_need": lambda w: {"household_id": w.v.household, "kind": "service",
                                  "category": "tutoring", "title": "代购药品"},
    "api.fulfil_need": lambda w: {"note": "已签收"},
    "api.cancel_need": lambda w: {"reason": "重复登记"},
    "api.reject_need_review": lambda w: {"reason": "不合理"},
    "api.create_organization": lambda w: {"name": "新登记的组织", "kind": "enterprise",
                                          "region_code": VILLAGE},
    "api.create_branch": lambda w: {"name": "第二党支部", "level": "branch",
                                    "formation": "standalone"},
    "api.create_team": lambda w: {"branch_id": w.a.branch, "name": "新服务队",
                                  "categories": ["tutoring"], "region_code": VILLAGE,
                                  "radius_km": 20},
    "api.create_volunteer": lambda w: {"name": "新志愿者", "is_party_member": True},
    "api.create_offer": lambda w: {"kind": "service", "category": "tutoring",
                                   "title": "周末陪伴", "team_id": w.a.team, "quantity": 3},
    "api.update_offer": lambda w: {"title": "暑期支教(改)"},
    "api.pledge_need": lambda w: {"amount_yuan": 100},
    "api.release_claim": lambda w: {"reason": "人手不足"},
    "api.request_takeover": lambda w: {"reason": "我们离得更近"},
    "api.accept_takeover": lambda w: {"answer": "同意"},
    "api.decline_takeover": lambda w: {"answer": "不同意"},
    "api.start_match_run": lambda w: {"region_code": COUNTY},
    "api.create_activity": activity_body,
    "api.update_activity": lambda w: {"title": "周末课业辅导(改)"},
    "api.correct_activity_hours": lambda w: {
        "hours": [{"volunteer_id": w.a.volunteer, "hours": 1}], "note": "漏记了一小时"},
    "api.create_donation": lambda w: {
        "organization_id": w.a.org, "village_code": VILLAGE, "date": DAY.isoformat(),
        "money_yuan": 500, "household_ids": [w.v.household]},
    "api.update_donation": lambda w: {"money_yuan": 2500},
    "api.create_placement": lambda w: {"offer_id": w.a.job, "member_id": w.v.head,
                                       "start_date": DAY.isoformat(), "wage_yuan_month": 3000},
    "api.update_placement": lambda w: {"wage_yuan_month": 3600},
    "api.follow_up_placement": lambda w: {"months": 3, "employed": True},
    "api.create_purchase": lambda w: {
        "organization_id": w.a.org, "village_code": VILLAGE, "date": DAY.isoformat(),
        "product": "油茶", "unit": "斤", "quantity": 100, "yuan": 3000,
        "sellers": [{"household_id": w.v.household, "yuan": 3000}]},
    "api.update_purchase": lambda w: {"note": "补充说明"},
    **{f"api.reject_{kind}": (lambda w: {"reason": "不实"})
       for kind in ("activity", "donation", "placement", "purchase")},
}
QUERIES = {"api.get_impact_breakdown": {"by": "region", "metric": "volunteer_hours"},
           "organizer.new_offer": {"kind": "service"}}


def send(w: World, endpoint: str, method: str | None, role: str):
    """The route's request as the role: pages with the role's session, the API with its token."""
    rule = next(r for r in w.app.url_map.iter_rules() if r.endpoint == endpoint)
    method = method or only_method(rule)
    path = w.app.url_map.bind("localhost").build(endpoint, url_args(endpoint, rule.arguments, w))
    api = endpoint.startswith("api.")
    kwargs = {"headers": w.headers(role) if api else {},
              "query_string": QUERIES.get(endpoint, {})}
    if method in UNSAFE:
        body = BODIES.get(endpoint, lambda w: {})(w)
        kwargs["json" if api and "file" not in body else "data"] = body
    client = w.client("anonymous" if api else role)
    response = client.open(path, method=method, **kwargs)
    with client.session_transaction() as session:
        errors = [text for category, text in session.get("_flashes", []) if category == "error"]
    return f"{method} {path}", response, errors


def only_method(rule) -> str:
    methods = rule.methods - {"HEAD", "OPTIONS"}
    assert len(methods) == 1, f"{rule.endpoint} takes {methods}: give EXPECTED a row per method"
    return next(iter(methods))


# -- the matrix ---------------------------------------------------------------------------------

def per_method(expected: dict) -> dict[str | None, dict]:
    """{method: row}; a route with one method has a single row (its method: None)."""
    return expected if set(expected) <= {"GET", *UNSAFE} else {None: expected}


def cases():
    for endpoint, expected in EXPECTED.items():
        for method, roles in per_method(expected).items():
            for role in ROLES:
                name = f"{endpoint}-{method}-{role}" if method else f"{endpoint}-{role}"
                yield pytest.param(endpoint, method, role, roles[role], id=name)


def routes_of(app) -> dict[str, set[str]]:
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint != "static":
            routes.setdefault(rule.endpoint, set()).update(rule.methods - {"HEAD", "OPTIONS"})
    return routes


def matrix_problems(routes: dict[str, set[str]], expected: dict[str, dict]) -> list[str]:
    """What keeps the matrix from deciding every route of the app, and only those."""
    problems = [f"no permission rule in EXPECTED: {endpoint}"
                for endpoint in sorted(set(routes) - set(expected))]
    problems += [f"EXPECTED names a route that no longer exists: {endpoint}"
                 for endpoint in sorted(set(expected) - set(routes))]
    for endpoint in sorted(set(routes) & set(expected)):
        rows = per_method(expected[endpoint])
        methods = routes[endpoint] if None in rows and len(routes[endpoint]) == 1 else set(rows)
        if methods != routes[endpoint]:
            problems.append(f"{endpoint} takes {sorted(routes[endpoint])}: give a row per method")
        problems += [f"{endpoint}: a row needs one known outcome per role"
                     for roles in rows.values()
                     if list(roles) != list(ROLES) or not set(roles.values()) <= OUTCOMES]
    return problems


def _app():
    return create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_the_matrix_names_every_route_and_no_other():
    assert matrix_problems(routes_of(_app()), EXPECTED) == []


def test_a_new_route_or_a_stale_entry_makes_the_matrix_fail():
    """The check above is not vacuous: an undecided route and a vanished one are both reported."""
    app = _app()
    app.add_url_rule("/api/v1/secret", "api.secret", lambda: "", methods=["GET", "POST"])
    expected = {**EXPECTED, "api.gone": PUBLIC, "cadre.edit_household": PUBLIC}
    assert matrix_problems(routes_of(app), expected) == [
        "no permission rule in EXPECTED: api.secret",
        "EXPECTED names a route that no longer exists: api.gone",
        "cadre.edit_household takes ['GET', 'POST']: give a row per method"]


@pytest.mark.parametrize(("endpoint", "method", "role", "expected"), list(cases()))
def test_permission(fresh, endpoint, method, role, expected):
    request, response, errors = send(fresh, endpoint, method, role)
    api = endpoint.startswith("api.")
    status, location = response.status_code, response.headers.get("Location", "")
    seen = (f"{request} as {role}: {status} {location} "
            f"{errors or response.get_data()[:300].decode(errors='replace')}")
    assert status < 500, seen
    if expected == A:
        assert (200 <= status < 300) if api else (
            200 <= status < 300 or (300 <= status < 400 and "/login" not in location
                                    and not errors)), seen
        return
    if expected == L:
        assert status == 401 if api else (status == 302 and "/login" in location), seen
    elif expected == F:
        assert status == 403, seen
    elif expected == H:
        assert status == 404, seen
    elif expected == I:  # organizer.new_activity re-renders its form with 200 (its tests say so)
        assert status == 422 or (not api and status == 200), seen
    elif expected == C:
        assert status == 409, seen
    elif expected == R:
        assert 300 <= status < 400 and "/login" not in location and errors, seen
    if not request.startswith("GET"):
        assert fresh.changed_tables() == [], f"{seen}: a refused request changed these tables"
