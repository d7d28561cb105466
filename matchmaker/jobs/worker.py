"""The rq worker, run inside the app context by `matchmaker worker`."""
from __future__ import annotations

import logging

import click
from flask import current_app
from redis import Redis
from rq import Queue, Worker

from matchmaker import jobs

log = logging.getLogger("matchmaker.jobs")


def run(queue_names, burst: bool) -> None:
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException("未配置 MATCHMAKER_REDIS_URL:没有 Redis 时任务在进程内执行,无需 worker")
    connection = Redis.from_url(url)
    resubmitted = jobs.reconcile()
    if resubmitted:
        log.info("resubmitted lost jobs %s", resubmitted)
    queues = [Queue(name, connection=connection) for name in queue_names]
    Worker(queues, connection=connection,
           job_monitoring_interval=current_app.config["JOB_HEARTBEAT_SECONDS"]).work(burst=burst)
