"""A province's round split by county and run by two rq workers proposes what the in-process
round proposes."""
import subprocess

import pytest
from sqlalchemy import delete, select

from matchmaker.extensions import db
from matchmaker.jobs import rounds
from matchmaker.seeding.synthetic import PROVINCE_CODE, seed_synthetic
from matchmaker.models import JobRecord, Match, MatchRun
from matchmaker.services.market import matches
from tests.conftest import MATCHMAKER
from tests.jobs.test_jobs import _worker_env


def proposed() -> set[tuple]:
    return set(db.session.execute(select(Match.need_id, Match.offer_id, Match.quantity,
                                         Match.score)).all())


def forget_rounds() -> None:
    db.session.execute(delete(Match))
    db.session.execute(delete(MatchRun).where(MatchRun.parent_id.is_not(None)))
    db.session.execute(delete(MatchRun))
    db.session.commit()


@pytest.mark.redis
def test_two_workers_propose_what_the_in_process_round_proposes(app, redis_url):
    seed_synthetic(needs=3000, offers=300, seed=7)
    inline = rounds.start_round(PROVINCE_CODE, None)
    assert matches.run_summary(inline)["status"] == "finished"
    expected = proposed()
    assert len(expected) > 100
    forget_rounds()

    app.config["REDIS_URL"] = redis_url
    queued = rounds.start_round(PROVINCE_CODE, None)
    counties = db.session.scalars(select(MatchRun).where(MatchRun.parent_id == queued.id)).all()
    assert len(counties) > 2 and all(run.status == "queued" for run in counties)
    workers = [subprocess.Popen([MATCHMAKER, "worker", "--burst"],
                                env=_worker_env(app, redis_url), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for worker in workers:
        _, stderr = worker.communicate(timeout=300)
        assert worker.returncode == 0, stderr
    db.session.expire_all()
    assert matches.run_summary(queued)["status"] == "finished"
    records = [db.session.get(JobRecord, run.job_id) for run in counties]
    assert all(record.status == "finished" and record.attempts == 1 for record in records)
    assert proposed() == expected
