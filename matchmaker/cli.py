"""The `matchmaker` command line of API.md (also reachable as `flask --app matchmaker ...`)."""
from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup
from flask_migrate import upgrade

from matchmaker.errors import DomainError
from matchmaker.extensions import db


@click.command("init")
def init_command():
    """Create or migrate the database to the latest revision and load the gazetteer."""
    from matchmaker.services import regions

    upgrade()
    created = regions.load_regions()
    db.session.commit()
    click.echo(f"数据库已升级到最新版本;新增区划 {created} 个")


@click.group("seed")
def seed_group():
    """Load seed data."""


@seed_group.command("demo")
def seed_demo():
    """Load the demo data in seeds/ (running it twice changes nothing)."""
    from matchmaker.seeding import demo
    from matchmaker.services import regions

    created = {"regions": regions.load_regions(), **demo.load_demo()}
    db.session.commit()
    click.echo("演示数据已载入;新增: " + ", ".join(f"{k} {v}" for k, v in created.items()))


@seed_group.command("synthetic")
@click.option("--households", default=5000, show_default=True, help="Households to generate.")
@click.option("--offers", default=1000, show_default=True, help="Open offers to generate.")
@click.option("--seed", "seed", default=1, show_default=True, help="Random seed (deterministic).")
def seed_synthetic(households: int, offers: int, seed: int):
    """A large deterministic province of villages, households, open needs and offers."""
    from matchmaker.seeding import synthetic

    try:
        written = synthetic.seed_synthetic(households * synthetic.NEEDS_PER_HOUSEHOLD, offers, seed)
    except ValueError as exc:  # already seeded in this database
        raise click.ClickException(f"合成数据已存在,未重复生成({exc})") from exc
    db.session.commit()
    click.echo("合成数据已生成: " + ", ".join(f"{k} {v}" for k, v in written.items()))


@click.group("user")
def user_group():
    """Manage accounts."""


@user_group.command("create")
@click.option("--username", required=True)
@click.option("--password", required=True)
@click.option("--role", required=True, type=click.Choice(["organizer", "cadre", "admin"]))
@click.option("--region", "region_code", help="区划代码: the cadre's village or township")
def create_user(username: str, password: str, role: str, region_code: str | None):
    """Create an account; a cadre is bound to --region CODE."""
    from matchmaker.services import accounts

    user = accounts.create_user(username, password, role, region_code)
    db.session.commit()
    click.echo(f"已创建用户 {user.username} ({user.role.value})")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
def serve(host: str, port: int):
    """Serve the web app (jobs run in-process when no Redis is configured)."""
    from werkzeug.serving import run_simple

    app = current_app._get_current_object()
    click.echo(f"matchmaker serving on http://{host}:{port}/")
    run_simple(host, port, app, threaded=True, use_reloader=False)


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@click.option("--queue", "queues", multiple=True, help="Queues to listen on (default: all).")
def worker(burst: bool, queues: tuple[str, ...]):
    """Run an rq worker for the configured Redis."""
    from matchmaker.jobs import worker as job_worker

    job_worker.run(queues or current_app.config["RQ_QUEUES"], burst)


@click.group("jobs")
def jobs_group():
    """Background job maintenance."""


@jobs_group.command("reconcile")
def reconcile():
    """Resubmit jobs whose queue entry was lost."""
    from matchmaker import jobs

    resubmitted = jobs.reconcile()
    click.echo(f"重新提交任务 {len(resubmitted)} 个")


@jobs_group.command("tick")
def tick():
    """Enqueue the periodic jobs (expiries, stalled claims, outbox delivery) and reconcile."""
    from matchmaker import jobs
    from matchmaker.jobs.tasks import PERIODIC

    resubmitted = jobs.reconcile()
    records = [jobs.enqueue(kind) for kind in PERIODIC]
    click.echo(f"已提交定时任务 {len(records)} 个;重新提交任务 {len(resubmitted)} 个")


@click.group("match")
def match_group():
    """Matching rounds."""


@match_group.command("run")
@click.option("--region", "region_code", help="区划代码: only this region's needs and offers")
def match_run(region_code: str | None):
    """One matching round, inline, printing its counts and the time of each phase."""
    from matchmaker.jobs.tasks import committed_step
    from matchmaker.services.market import matches
    from matchmaker.services.market.match_runs import create_run, execute_run
    from matchmaker.services.regions import region_by_code

    region = region_by_code(region_code) if region_code else None
    run = create_run(region.id if region else None)
    db.session.commit()
    execute_run(run.id, step=committed_step)
    matches.tell_proposals(run.id)
    db.session.commit()
    summary = matches.run_summary(run)
    click.echo(f"匹配完成: 需求 {summary['needs_considered']}, 供给 {summary['offers_considered']}, "
               f"候选 {summary['candidates']}, 建议 {summary['proposals']}, "
               f"总分 {summary['total_score']:g}")
    click.echo("用时(秒): " + ", ".join(f"{k} {v:g}" for k, v in summary["timings"].items()))


KEY_NOTE = ("注意: 身份证号和电话在备份中仍是加密的;备份不含密钥 MATCHMAKER_DATA_KEY,"
            "恢复时须配置同一密钥,请另行妥善保管")


@click.command("backup")
@click.option("--output", "output", type=click.Path(dir_okay=False, writable=True),
              help="备份文件 (default: matchmaker-backup-<UTC time>.zip)")
def backup_command(output: str | None):
    """Write every table to a portable archive (zip of JSON lines with a manifest)."""
    from datetime import datetime, timezone

    from matchmaker.services import backup

    output = output or datetime.now(timezone.utc).strftime("matchmaker-backup-%Y%m%d-%H%M%S.zip")
    manifest = backup.write_backup(output)
    click.echo(f"备份完成: {output};{len(manifest['tables'])} 张表,"
               f"{backup.row_total(manifest['tables'])} 行,数据库版本 {manifest['alembic_revision']}")
    click.echo(KEY_NOTE)


@click.command("restore")
@click.argument("archive_path", metavar="FILE", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Replace the data of a database that is not empty.")
def restore_command(archive_path: str, force: bool):
    """Restore an archive written by `matchmaker backup`, in one transaction."""
    from matchmaker.services import backup

    with backup.open_archive(archive_path) as archive:
        manifest = backup.read_manifest(archive)
        if backup.revision(db.session.connection()) is None:
            db.session.rollback()
            upgrade()  # a blank database: build the schema first
        backup.check_target(manifest, force)
        counts = backup.restore_backup(archive, manifest)
        db.session.commit()
    click.echo(f"恢复完成: {len(counts)} 张表,{backup.row_total(counts)} 行,"
               f"数据库版本 {manifest['alembic_revision']}")
    if manifest.get("data_key_fingerprint") != backup.key_fingerprint():
        click.echo("警告: 备份写入时的 MATCHMAKER_DATA_KEY 与当前配置不同,身份证号和电话将无法解密",
                   err=True)
    click.echo(KEY_NOTE)


@click.group("impact")
def impact_group():
    """The impact figures' rollups."""


@impact_group.command("rebuild")
def impact_rebuild():
    """Recompute every rollup row from the verified records (after a bulk load)."""
    from matchmaker.impact import rollups

    written = rollups.rebuild(db.session.connection())
    db.session.commit()
    click.echo("汇总表已重建: " + ", ".join(f"{k} {v}" for k, v in written.items()))


COMMANDS = (init_command, seed_group, user_group, serve, worker, jobs_group, match_group,
            backup_command, restore_command, impact_group)


def register(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)


def _create_app() -> Flask:
    from matchmaker import create_app

    return create_app()


cli = FlaskGroup(create_app=_create_app, add_default_commands=False, add_version_option=False,
                 load_dotenv=False, help="matchmaker: 帮扶资源对接平台")


def main(args: list[str] | None = None, obj=None) -> None:
    """The console script: errors end in one clear line and a non-zero exit.

    `args` (default sys.argv) and `obj` (a flask.cli.ScriptInfo, default one that builds the
    app from the environment) let the tests run it in process on an app of theirs."""
    extra = {"obj": obj} if obj else {}  # FlaskGroup builds its own ScriptInfo when none given
    try:
        status = cli.main(args, standalone_mode=False, **extra)
    except DomainError as exc:
        click.echo(f"错误: {exc.message}", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        click.echo(f"错误: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        sys.exit(1)
    sys.exit(status if isinstance(status, int) else 0)
