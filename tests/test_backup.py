"""`matchmaker backup` and `restore`: every table comes back exactly, on SQLite and PostgreSQL both
ways, and a bad archive, another schema revision or a database holding data is refused clearly."""
from __future__ import annotations

import json
import shutil
import uuid
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.engine import make_url

from matchmaker.extensions import db
from matchmaker.models import (
    Claim, ClaimTakeover, CountyRules, Household, ImportBatch, JobRecord, JobStatus, Need,
    NeedStatus, Notification, OutboxMessage, Region, RegionLevel,
)
from matchmaker.models.base import utcnow
from tests.conftest import (
    POSTGRES_URL, VILLAGE, Ran, _admin_connection, build_app, run_cli, server_env,
    valid_id_number,
)

HEAD_ID = valid_id_number("19700304", 611)
PHONE = "13912345678"
#: the tables seed_everything fills (every table of the schema when this test was written)
EXERCISED = {
    "regions", "county_rules", "households", "organizations", "branches", "members", "users",
    "api_tokens", "audit_events", "jobs", "needs", "notifications", "pairings", "teams",
    "activities", "activity_rollups", "import_batches", "match_runs", "offers", "outbox_messages",
    "volunteers", "activity_beneficiaries", "activity_hours", "activity_needs", "claims",
    "donations", "hour_rollups", "matches", "placements", "purchases", "claim_takeovers",
    "donation_households", "donation_items", "donation_needs", "purchase_needs",
    "purchase_shares"}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def target_url(request, tmp_path):
    """A second fresh database, migrated, holding only the gazetteer `matchmaker init` loads."""
    if request.param == "sqlite":
        path = tmp_path / "target.sqlite"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    template = request.getfixturevalue("postgres_template")
    name = f"mm_restore_{uuid.uuid4().hex[:10]}"
    with _admin_connection() as connection:
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    with _admin_connection() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(env, *args: str) -> Ran:
    """`matchmaker ARGS` in process (conftest's run_cli) on an app built as the console script
    would build it from `env` (tests/test_cli.py runs the script itself)."""
    app = build_app(env["MATCHMAKER_DATABASE_URL"], DATA_KEY=env["MATCHMAKER_DATA_KEY"],
                    SECRET_KEY=env["MATCHMAKER_SECRET_KEY"])
    try:
        return run_cli(app, *args)
    finally:
        with app.app_context():
            db.engine.dispose()


def one_error_line(result: Ran) -> str:
    assert result.returncode != 0, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误: "), result.stderr
    return lines[0]


def seed_everything() -> None:
    """The demo, plus a row in each table the demo leaves empty."""
    from matchmaker.services.market.match_runs import create_run, execute_run
    from matchmaker.services import accounts, audit
    from matchmaker.seeding import demo
    from matchmaker.services.registry import households

    demo.load_demo()
    admin = accounts.create_user("backup-admin", "backup-pass-1", "admin")
    accounts.issue_token(admin, 24)
    household = households.create_household(
        {"village_code": VILLAGE, "head_name": "钱有余", "status": "poor", "id_number": HEAD_ID,
         "phone": PHONE, "poverty_causes": ["illness"], "members": []}, admin)
    audit.record("household.view", admin.id, household)
    _seed_odd_rows(admin)
    db.session.commit()
    run = create_run()
    db.session.commit()
    execute_run(run.id)
    db.session.commit()


def _seed_odd_rows(admin) -> None:
    county = db.session.scalar(select(Region).where(Region.level == RegionLevel.COUNTY))
    # a JSON column holding JSON null beside one left SQL NULL, and a money column
    db.session.add(CountyRules(county_id=county.id, wish_categories=None,
                               wish_cap_yuan=Decimal("123.45")))
    job = JobRecord(kind="deliver_outbox", args=[], status=JobStatus.FINISHED, result={"二": [1.5]})
    db.session.add_all([job, JobRecord(kind="expire_offers")])
    note = Notification(user_id=admin.id, kind="test", title="备份测试")
    db.session.add(note)
    db.session.flush()
    db.session.add_all([
        OutboxMessage(notification_id=note.id, channel="sms"),
        ImportBatch(created_by_id=admin.id, region_id=county.id, filename="台账.xlsx",
                    content=b"\x00\xff encrypted bytes", size=19, job_id=job.id)])
    # a village created before the township it is later moved under: a forward reference
    village = Region(code="360302999201", name="新村", level=RegionLevel.VILLAGE, path="/x/")
    db.session.add(village)
    db.session.flush()
    township = Region(code="360302999000", name="新镇", level=RegionLevel.TOWNSHIP, path="/y/")
    db.session.add(township)
    db.session.flush()
    village.parent_id = township.id
    _seed_claim(admin)


def _seed_claim(admin) -> None:
    from matchmaker.models import Organization, Purchase, purchase_needs

    need = db.session.scalar(select(Need).where(Need.status == NeedStatus.OPEN).order_by(Need.id))
    organizations = db.session.scalars(select(Organization).order_by(Organization.id)).all()
    now = utcnow()
    claim = Claim(need_id=need.id, organization_id=organizations[0].id, claimed_by_id=admin.id,
                  quantity=2.5, claimed_at=now, due_at=now + timedelta(days=30))
    db.session.add(claim)
    db.session.flush()
    db.session.add(ClaimTakeover(claim_id=claim.id, organization_id=organizations[1].id,
                                 reason="人手更近", requested_at=now, answer_by=now))
    purchase = db.session.scalar(select(Purchase).order_by(Purchase.id))
    db.session.execute(sa.insert(purchase_needs).values(purchase_id=purchase.id, need_id=need.id))


def dump(url: str) -> dict[str, list]:
    """Every table's rows in key order, read afresh, with which JSON values are SQL NULL."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return {table.name: _rows(connection, table) for table in db.metadata.sorted_tables}
    finally:
        engine.dispose()


def _rows(connection, table: sa.Table) -> list:
    null_flags = [c.is_(None) for c in table.columns if isinstance(c.type, sa.JSON)]
    query = sa.select(*table.columns, *null_flags).order_by(*table.primary_key.columns)
    return [tuple(row) for row in connection.execute(query)]


def test_backup_then_restore_gives_every_table_back_exactly(app, runner, target_url, tmp_path):
    seed_everything()
    archive = tmp_path / "backup.zip"
    written = runner.invoke(args=["backup", "--output", str(archive)])
    assert written.exit_code == 0, written.output
    assert "备份不含密钥 MATCHMAKER_DATA_KEY" in written.output
    source = dump(app.config["SQLALCHEMY_DATABASE_URI"])
    assert EXERCISED <= {name for name, rows in source.items() if rows}
    _assert_the_archive_is_as_stored(archive, source)

    target = build_app(target_url, tmp_path / "target")
    with target.app_context():
        restored = target.test_cli_runner().invoke(args=["restore", str(archive)])
        assert restored.exit_code == 0, restored.output
        assert "警告" not in restored.output
        assert dump(target_url) == source
        _assert_the_restored_app_works()
        db.session.remove()
        db.engine.dispose()


def _assert_the_archive_is_as_stored(archive, source: dict[str, list]) -> None:
    """A manifest with the row counts, rows in key order, ID numbers and phones still encrypted."""
    with zipfile.ZipFile(archive) as opened:
        manifest = json.loads(opened.read("manifest.json"))
        households = opened.read("tables/households.jsonl").decode()
        everything = b"".join(opened.read(name) for name in opened.namelist()).decode()
    assert manifest["format"] == "matchmaker-backup" and manifest["data_key_included"] is False
    assert {t["name"]: t["rows"] for t in manifest["tables"]} == {
        name: len(rows) for name, rows in source.items()}
    assert HEAD_ID not in everything and PHONE not in everything
    ids = [json.loads(line)[0] for line in households.splitlines()]
    assert ids == sorted(ids) and len(ids) == len(source["households"])


def _assert_the_restored_app_works() -> None:
    """The same key decrypts, the keyed hash still finds duplicates, new ids follow the old."""
    from matchmaker import privacy
    from matchmaker.errors import Duplicate
    from matchmaker.models import User
    from matchmaker.services import accounts
    from matchmaker.services.registry import households

    household = db.session.scalar(select(Household).where(Household.head_name == "钱有余"))
    assert privacy.decrypt(household.id_number_encrypted) == HEAD_ID
    assert privacy.decrypt(household.phone_encrypted) == PHONE
    admin = db.session.scalar(select(User).where(User.username == "backup-admin"))
    with pytest.raises(Duplicate):
        households.create_household(
            {"village_code": VILLAGE, "head_name": "又一户", "status": "poor",
             "id_number": HEAD_ID, "poverty_causes": [], "members": []}, admin)
    db.session.rollback()
    newest = accounts.create_user("after-restore", "after-pass-1", "admin")
    db.session.commit()
    assert newest.id > admin.id


@pytest.fixture
def sqlite_url(sqlite_template, tmp_path) -> str:
    """A fresh migrated SQLite database, for the refusals that do not depend on the database."""
    path = tmp_path / "refusals.sqlite"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


def fresh_archive(url: str, tmp_path):
    """A real archive of a fresh database, written by `matchmaker backup`."""
    path = tmp_path / "fresh.zip"
    result = run(server_env(url), "backup", "--output", str(path))
    assert result.returncode == 0, result.stderr
    return path


def _rewrite(archive, tmp_path, change) -> str:
    """A copy of the archive with change(name, data) -> data applied to each member."""
    copy = tmp_path / "changed.zip"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(copy, "w") as target:
        for name in source.namelist():
            target.writestr(name, change(name, source.read(name)))
    return str(copy)


def test_a_file_that_is_no_archive_is_refused(sqlite_url, tmp_path):
    bogus = tmp_path / "notes.zip"
    bogus.write_text("这不是备份")
    assert "不是有效的 zip" in one_error_line(run(server_env(sqlite_url), "restore", str(bogus)))
    assert "找不到备份文件" in one_error_line(
        run(server_env(sqlite_url), "restore", str(tmp_path / "missing.zip")))


def test_an_archive_of_another_schema_revision_is_refused(sqlite_url, tmp_path):
    def older(name, data):
        if name != "manifest.json":
            return data
        return json.dumps({**json.loads(data), "alembic_revision": "fcbe52649cb6"})

    changed = _rewrite(fresh_archive(sqlite_url, tmp_path), tmp_path, older)
    line = one_error_line(run(server_env(sqlite_url), "restore", "--force", changed))
    assert "fcbe52649cb6" in line and "不一致" in line


def test_a_damaged_table_file_is_refused_and_changes_nothing(database_url, tmp_path):
    before = dump(database_url)

    def damaged(name, data):
        return data + b"[1, 2, oops\n" if name == "tables/users.jsonl" else data

    changed = _rewrite(fresh_archive(database_url, tmp_path), tmp_path, damaged)
    line = one_error_line(run(server_env(database_url), "restore", "--force", changed))
    assert "备份文件已损坏" in line and "users" in line
    assert dump(database_url) == before  # what the restore deleted and wrote was rolled back


def test_a_database_holding_data_is_refused_unless_forced(sqlite_url, tmp_path):
    env = server_env(sqlite_url)
    archive = str(fresh_archive(sqlite_url, tmp_path))
    assert run(env, "user", "create", "--username", "someone", "--password", "long-enough-1",
               "--role", "admin").returncode == 0
    assert "已有数据" in one_error_line(run(env, "restore", archive))
    forced = run(env, "restore", "--force", archive)
    assert forced.returncode == 0, forced.stderr
    engine = sa.create_engine(sqlite_url)
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM users")).scalar() == 0
    engine.dispose()


def test_restore_into_a_blank_database_builds_the_schema_first(sqlite_url, tmp_path):
    blank = server_env(f"sqlite:///{tmp_path / 'blank.sqlite'}")
    result = run(blank, "restore", str(fresh_archive(sqlite_url, tmp_path)))
    assert result.returncode == 0, result.stderr
    assert "恢复完成" in result.stdout and "MATCHMAKER_DATA_KEY" in result.stdout
    assert dump(blank["MATCHMAKER_DATABASE_URL"]) == dump(sqlite_url)


def test_another_data_key_is_warned_about(sqlite_url, tmp_path):
    archive = str(fresh_archive(sqlite_url, tmp_path))
    result = run(server_env(sqlite_url, MATCHMAKER_DATA_KEY="some-other-key"), "restore", archive)
    assert result.returncode == 0, result.stderr
    assert "MATCHMAKER_DATA_KEY 与当前配置不同" in result.stderr
