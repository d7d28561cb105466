"""Starting a matching round from a view: queue it through the service, commit, then enqueue.

STYLE: jobs are enqueued after the commit, never from a service. The admin page and the API
start rounds the same way, so the three steps live here once.
"""
from __future__ import annotations

from matchmaker.extensions import db
from matchmaker.jobs import enqueue
from matchmaker.models import MatchRun
from matchmaker.services.market import matches


def start_round(region_code: str | None, user_id: int | None) -> MatchRun:
    """Queue a round (split by county when it spans many), commit, and give each of its runs a
    match_run job; with the inline backend the runs are carried out before this returns."""
    round_ = matches.queue_round(region_code, user_id)
    db.session.commit()
    for run in matches.runs_to_carry_out(round_):
        run.job_id = enqueue("match_run", run.id, user_id=user_id).id
        db.session.commit()
    return round_
