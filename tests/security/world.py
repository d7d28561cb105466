"""One realistic world for the security tests, built once per module, and a snapshot of it.

Two organizations (A, based in 五陂村, and B, in 长潭村) each hold a branch, a team, a volunteer,
offers, claims, takeover requests, a proposed match, records of every kind and an inbox entry;
a third organization (C) is the other side of their claims and takeovers. Each village has its
cadre, a household with members, open, pledgeable, under-review and claimed needs, and an import
batch of its own. The world is built through the services and the API, then copied aside: every
test starts from that copy (the SQLite backup API restores it in milliseconds), so a test may
change what it likes, and "nothing changed" is a comparison of every table with the copy.
"""
from __future__ import annotations

import hashlib
import io
import sqlite3
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import (
    Branch, Match, MatchRun, Need, Notification, Offer, Organization, Region, Team, User,
    Volunteer,
)
from matchmaker.models.base import utcnow
from matchmaker.services import accounts
from matchmaker.services.market import claims, takeovers
from matchmaker.services.registry import households, imports
from tests.conftest import (
    OTHER_VILLAGE, TOWNSHIP, VILLAGE, IsolatedClient, build_app, valid_id_number,
)

PASSWORD = "correct-horse-9"
COUNTY = "360302000000"
DAY = date.today() - timedelta(days=2)
#: a placement old enough for its three-month follow-up
HIRED = date.today() - timedelta(days=200)
#: the roles of the permission matrix, in the order of its columns
ROLES = ("anonymous", "organizer", "other_organizer", "cadre", "other_cadre", "township_cadre",
         "admin")
#: ids that never exist: what a caller gets for them is what it must get for hidden ones
MISSING = 987654


@dataclass
class Side:
    """What one organization (or one village) owns: names → ids."""

    ids: dict[str, int | str] = field(default_factory=dict)

    def __getattr__(self, name: str):
        try:
            return self.ids[name]
        except KeyError as exc:
            raise AttributeError(name) from exc


@dataclass
class World:
    app: object
    live: Path
    pristine: Path
    a: Side  # organization A, of 五陂村 ("this" organization)
    b: Side  # organization B, of 长潭村 ("another" organization)
    v: Side  # 五陂村 ("this" village)
    o: Side  # 长潭村 ("another" village)
    shared: Side  # the third organization, the match run, the spare account
    users: dict[str, str]  # role → username
    tokens: dict[str, str]  # role → bearer token
    cookies: dict[str, str]  # role → session cookie
    digests: dict[str, str] = field(default_factory=dict)  # the tables as built
    watcher: sqlite3.Connection | None = None
    restored_version: int = -1

    def __post_init__(self) -> None:
        self.digests = table_digests(self.pristine)
        self.watcher = sqlite3.connect(self.live, check_same_thread=False)
        self.restored_version = self._version()

    # -- clients ------------------------------------------------------------------------------

    def client(self, role: str) -> FlaskClient:
        """A fresh test client logged in as the role (pages ride the session cookie)."""
        client = self.app.test_client()
        if role in self.cookies:
            client.set_cookie(self.app.config.get("SESSION_COOKIE_NAME", "session"),
                              self.cookies[role])
        return client

    def headers(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"} if role in self.tokens else {}

    # -- the copy every test starts from ------------------------------------------------------

    def restore(self) -> None:
        """Back to the world as built, unless nothing has been written since the last time."""
        if self._version() != self.restored_version:
            copy_database(self.pristine, self.live)
            self.restored_version = self._version()

    def changed_tables(self) -> list[str]:
        """The tables whose rows differ from the world as built (empty when nothing changed)."""
        if self._version() == self.restored_version:
            return []
        after = table_digests(self.live)
        return sorted(name for name in self.digests.keys() | after.keys()
                      if self.digests.get(name) != after.get(name))

    def close(self) -> None:
        self.watcher.close()
        with self.app.app_context():
            db.engine.dispose()

    def _version(self) -> int:
        """SQLite's data_version: it moves whenever another connection commits a change."""
        return self.watcher.execute("PRAGMA data_version").fetchone()[0]

    def count(self, sql: str, *params) -> int:
        return self.watcher.execute(sql, params).fetchone()[0]


def copy_database(source: Path, target: Path) -> None:
    """SQLite's online backup: safe with the app's pooled (idle) connections and WAL mode."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        dst.execute("PRAGMA synchronous=OFF")  # a test database: no need to wait for the disk
        src.backup(dst)
    finally:
        src.close()
        dst.close()


#: columns left out of the comparison (none so far: a refused request writes nothing at all)
VOLATILE: dict[str, set[str]] = {}


def table_digests(path: Path) -> dict[str, str]:
    """A digest of every table's rows, in rowid order, leaving out the volatile columns."""
    digests = {}
    with sqlite3.connect(path) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        for table in tables:
            columns = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')
                       if row[1] not in VOLATILE.get(table, ())]
            listed = ", ".join(f'"{name}"' for name in columns)
            digest = hashlib.sha256()
            for row in connection.execute(f'SELECT {listed} FROM "{table}" ORDER BY rowid'):
                digest.update(repr(row).encode())
            digests[table] = digest.hexdigest()
    return digests


# -- building it ----------------------------------------------------------------------------------

def build_world(directory: Path, template: Path) -> World:
    live, pristine = directory / "world.sqlite", directory / "pristine.sqlite"
    copy_database(template, live)
    app = build_app(f"sqlite:///{live}", directory / "instance")
    app.test_client_class = IsolatedClient
    with app.app_context():
        people = _people()
        village, other = _region(VILLAGE), _region(OTHER_VILLAGE)
        v, o = _village_side(village, people["admin"]), _village_side(other, people["admin"])
        a = _organization_side("赣鄱建材有限公司", village, people["organizer"])
        b = _organization_side("井冈山茶业合作社", other, people["other_organizer"])
        third = _organization_side("萍乡市星火公益服务中心", village, people["third"])
        shared = Side({"third_org": third.org, "third_offer": third.offer})
        for side, home in ((a, v), (b, o)):
            _market(side, home, third, people)
        client = app.test_client()
        tokens = {role: _token(client, user.username) for role, user in people.items()
                  if role in (*ROLES, "unbound")}
        for side, home, role in ((a, v, "organizer"), (b, o, "other_organizer")):
            _records(client, {"Authorization": f"Bearer {tokens[role]}"}, side, home)
        for side, role in ((v, "cadre"), (o, "other_cadre")):
            side.ids["batch"] = _import_batch(people[role], side)
        _notifications(a, people["organizer"])
        _notifications(b, people["other_organizer"])
        shared.ids["run"] = _match_run(people["admin"])
        shared.ids["spare_user"] = people["spare"].id
        cookies = {role: _login(app, user.username) for role, user in people.items()
                   if role in (*ROLES, "unbound")}
        users = {role: user.username for role, user in people.items()}
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    copy_database(live, pristine)
    return World(app, live, pristine, a, b, v, o, shared, users, tokens, cookies)


def _region(code: str) -> Region:
    return db.session.scalar(select(Region).where(Region.code == code))


def _people() -> dict[str, User]:
    made = {
        "organizer": ("organizer", None), "other_organizer": ("organizer", None),
        "third": ("organizer", None), "cadre": ("cadre", VILLAGE),
        "other_cadre": ("cadre", OTHER_VILLAGE), "township_cadre": ("cadre", TOWNSHIP),
        "admin": ("admin", None), "spare": ("admin", None),
        "unbound": ("organizer", None)}  # an organizer who has registered no organization
    people = {name: accounts.create_user(f"sec-{name}", PASSWORD, role, region)
              for name, (role, region) in made.items()}
    db.session.commit()
    return people


_serial = iter(range(500, 999))


def _village_side(village: Region, admin: User) -> Side:
    """A household (head, an adult son, a school child) and its needs in every state."""
    head_id_number = valid_id_number("19620304", next(_serial))
    household = households.create_household({
        "village_code": village.code, "head_name": f"{village.name}刘长根", "status": "poor",
        "id_number": head_id_number, "phone": "13900001111",
        "poverty_causes": ["illness"], "members": [
            {"name": f"{village.name}刘长根", "relation": "self"},
            {"name": f"{village.name}刘建国", "relation": "child", "labour_capacity": "strong",
             "id_number": valid_id_number("19900101", next(_serial))},
            {"name": f"{village.name}刘小燕", "relation": "child", "is_student": True,
             "id_number": valid_id_number("20160909", next(_serial))}]}, admin)
    db.session.flush()
    side = Side({"village": village.id, "household": household.id,
                 "head": household.members[0].id, "worker": household.members[1].id,
                 "child": household.members[2].id, "code": household.code,
                 "village_code": village.code, "village_name": village.name,
                 "head_id_number": head_id_number})
    for name, kind, status, extra in (
            ("need_open", "service", "open", {}),
            ("need_pledge", "funds", "open", {"category": "study", "amount_yuan": 1000}),
            ("need_review", "service", "review", {}),
            ("need_claimed", "service", "open", {}), ("need_held", "service", "open", {}),
            ("need_third", "service", "open", {}), ("need_asked", "service", "open", {}),
            ("need_match", "service", "open", {})):
        need = Need(household_id=household.id, village_id=village.id, kind=kind,
                    category=extra.pop("category", "tutoring"), title=f"{village.name}周末课业辅导",
                    status=status, **extra)
        db.session.add(need)
        db.session.flush()
        side.ids[name] = need.id
    for name, kind, category, extra in (  # to be claimed by the village's organization
            ("need_job", "job", "factory", {"member_id": household.members[0].id}),
            ("need_work", "job", "factory", {"member_id": household.members[1].id}),
            ("need_goods", "goods", "daily_life", {"quantity": 10, "unit": "床"}),
            ("need_produce", "produce", "agriculture", {"quantity": 500, "unit": "斤"})):
        need = Need(household_id=household.id, village_id=village.id, kind=kind,
                    category=category, title=f"{village.name}{category}", status="open", **extra)
        db.session.add(need)
        db.session.flush()
        side.ids[name] = need.id
    wish = Need(household_id=household.id, member_id=household.members[2].id,
                village_id=village.id, kind="wish", category="study", title="一个新书包",
                amount_yuan=120, status="open", guardian_consent=True)
    db.session.add(wish)
    db.session.commit()
    side.ids["wish"] = wish.id
    return side


def _organization_side(name: str, village: Region, organizer: User) -> Side:
    org = Organization(name=name, kind="enterprise", region_id=village.id)
    db.session.add(org)
    db.session.flush()
    branch = Branch(organization_id=org.id, name=f"{name}党支部", level="branch",
                    formation="standalone")
    db.session.add(branch)
    db.session.flush()
    team = Team(branch_id=branch.id, name=f"{name}志愿服务队", categories=["tutoring"],
                region_id=village.id, lat=village.lat, lon=village.lon, radius_km=30)
    db.session.add(team)
    db.session.flush()
    volunteer = Volunteer(team_id=team.id, name=f"{name}志愿者")
    offer = Offer(organization_id=org.id, team_id=team.id, kind="service", category="tutoring",
                  title="大学生暑期支教", quantity=5, capacity=5, capacity_used=0,
                  region_id=village.id)
    job = Offer(organization_id=org.id, kind="job", category="factory", title="包装工",
                capacity=3, capacity_used=0, openings=3, region_id=village.id)
    db.session.add_all([volunteer, offer, job])
    organizer.organization_id = org.id
    db.session.commit()
    return Side({"name": name, "team_name": team.name, "volunteer_name": volunteer.name,
                 "org": org.id, "branch": branch.id, "team": team.id,
                 "volunteer": volunteer.id, "offer": offer.id, "job": job.id,
                 "organizer": organizer.id})


def _market(side: Side, home: Side, third: Side, people: dict[str, User]) -> None:
    """The side's claims, takeover requests both ways, and a proposal to accept or decline."""
    organizer = db.session.get(User, side.organizer)
    third_organizer = people["third"]
    side.ids["claim"] = claims.claim_need(home.need_claimed, organizer, {}).id
    side.ids["held_claim"] = claims.claim_need(home.need_held, organizer, {}).id
    for need, data in ((home.need_job, {"offer_id": side.job}), (home.need_goods, {}),
                       (home.need_produce, {}),  # what the delivery pages record against
                       (home.need_work, {})):  # the worker's: the placement posted is made through
        claims.claim_need(need, organizer, data)
    claims.claim_need(home.need_third, third_organizer, {})
    claims.claim_need(home.need_asked, third_organizer, {})
    db.session.commit()
    side.ids["takeover_in"] = takeovers.request_takeover(
        home.need_held, third_organizer, {"reason": "我们就在村里"}).id
    side.ids["takeover_out"] = takeovers.request_takeover(
        home.need_asked, organizer, {"reason": "我们有支教老师"}).id
    match = Match(need_id=home.need_match, offer_id=side.offer, quantity=1, score=0.8,
                  distance_km=1.5, reasons=[], status="proposed", created_at=utcnow(),
                  expires_at=utcnow() + timedelta(days=14))
    db.session.add(match)
    db.session.commit()
    side.ids["match"] = match.id
    side.ids["need_takeable"] = home.need_third  # claimed by C: anyone may ask to take it over


def _token(client, username: str) -> str:
    response = client.post("/api/v1/auth/token", json={"username": username,
                                                       "password": PASSWORD})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["token"]


def _login(app, username: str) -> str:
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    assert cookie is not None
    return cookie.value


def _records(client, headers: dict, side: Side, home: Side) -> None:
    """One pending record of each kind, posted through the API by the side's organizer."""
    code = db.session.get(Region, home.village).code
    posted = {
        "activity": ("/api/v1/activities", {
            "team_id": side.team, "date": DAY.isoformat(), "title": "周末课业辅导",
            "category": "tutoring", "village_code": code,
            "hours": [{"volunteer_id": side.volunteer, "hours": 3}],
            "beneficiary_member_ids": [home.child], "extra_beneficiaries": 2}),
        "donation": ("/api/v1/donations", {
            "village_code": code, "date": DAY.isoformat(), "money_yuan": 2000,
            "household_ids": [home.household]}),
        "placement": ("/api/v1/placements", {
            "offer_id": side.job, "member_id": home.worker, "start_date": HIRED.isoformat(),
            "wage_yuan_month": 3200}),
        "purchase": ("/api/v1/purchases", {
            "village_code": code, "date": DAY.isoformat(), "product": "白萝卜", "unit": "斤",
            "quantity": 2300, "yuan": 1150,
            "sellers": [{"household_id": home.household, "yuan": 1150}]}),
    }
    for kind, (path, body) in posted.items():
        response = client.post(path, json=body, headers=headers)
        assert response.status_code == 201, (kind, response.get_json())
        side.ids[kind] = response.get_json()["id"]


LEDGER_HEADER = "户编号,村代码,户主姓名,成员姓名,与户主关系,身份证号,性别,联系电话,家庭人口,致贫原因,户类型\n"


def ledger(village_code: str, head_id: str, code: str = "SEC-1", name: str = "王大") -> bytes:
    return (LEDGER_HEADER + f"{code},{village_code},{name},{name},户主,{head_id},男,,1,因病,脱贫户\n"
            ).encode("utf-8")


def _import_batch(cadre: User, side: Side) -> int:
    """A previewed ledger of the cadre's own village, waiting to be applied."""
    code = db.session.get(Region, side.village).code
    batch = imports.upload(cadre, "ledger.csv",
                           ledger(code, valid_id_number("19700101", next(_serial)),
                                  f"SEC-{code[-3:]}"), None)
    imports.preview(batch, cadre)
    db.session.commit()
    return batch.id


def _notifications(side: Side, organizer: User) -> None:
    note = db.session.scalar(select(Notification).where(Notification.user_id == organizer.id)
                             .order_by(Notification.id))
    assert note is not None, "the takeover request told the holder"
    side.ids["notification"] = note.id


def _match_run(admin: User) -> int:
    run = MatchRun(region_id=_region(COUNTY).id, status="finished", created_by_id=admin.id,
                   created_at=utcnow(), started_at=utcnow(), finished_at=utcnow())
    db.session.add(run)
    db.session.commit()
    return run.id


def upload(content: bytes, name: str = "ledger.csv") -> dict:
    return {"file": (io.BytesIO(content), name)}
