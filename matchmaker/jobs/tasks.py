"""The job functions, by name. Each takes record ids, loads, calls a service and commits."""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable

from matchmaker.extensions import db


@dataclass(frozen=True)
class Task:
    function: Callable[..., dict | None]
    queue: str = "default"
    #: called with the job's ids when the reconciler gives the job up (the caller commits)
    abandon: Callable[..., None] | None = None

    def run(self, *ids: int, progress: Callable[[int, str | None], None]) -> dict | None:
        return self.function(*ids, progress=progress)


def geocode_region(region_id: int, progress) -> dict:
    """Find coordinates for a region added without them."""
    from matchmaker.services import geocoding

    progress(10, "geocoding")
    found = geocoding.geocode_region(region_id)
    db.session.commit()
    return {"region_id": region_id, "found": found}


def deliver_outbox(progress) -> dict:
    """Drain the notification outbox through the configured gateways."""
    from matchmaker.services import notifications

    return notifications.deliver_outbox()


def _import_step(step: str, batch_id: int, progress) -> dict:
    from matchmaker.errors import Invalid
    from matchmaker.models import ImportBatch, ImportStatus, User
    from matchmaker.services.registry import imports

    batch = db.session.get(ImportBatch, batch_id)
    user = db.session.get(User, batch.created_by_id)
    try:
        summary = getattr(imports, step)(batch, user, progress)
    except Invalid as exc:  # a file that cannot be read: the import says why, the job is done
        if "file" not in exc.fields:
            raise
        db.session.rollback()
        summary = {"file_error": exc.fields["file"]}
    if summary.get("file_error"):
        batch.status, batch.result = ImportStatus.FAILED, {"file_error": summary["file_error"]}
    db.session.commit()
    return {key: len(value) if isinstance(value, list) else value
            for key, value in summary.items()}


def preview_import(batch_id: int, progress) -> dict:
    """The dry run of an uploaded ledger: counts, duplicates, row errors."""
    return _import_step("preview", batch_id, progress)


def apply_import(batch_id: int, progress) -> dict:
    """Write an uploaded ledger's valid households."""
    return _import_step("apply", batch_id, progress)


def announce_need(need_id: int, progress) -> dict:
    """A newly posted need: its reviewers, or organizations that may serve it, hear of it."""
    from matchmaker.services.market import need_notices

    told = need_notices.announce(need_id)
    db.session.commit()
    return {"need_id": need_id, "told": told}


def expire_needs(progress) -> dict:
    """Needs still waiting after their deadline expire."""
    from matchmaker.services.market import needs

    expired = needs.expire_overdue()
    db.session.commit()
    return {"expired": expired}


def release_stalled_claims(progress) -> dict:
    """Claims past their due date with nothing recorded go back to the pool."""
    from matchmaker.models.base import utcnow
    from matchmaker.services.market import claims

    released = claims.release_stalled_claims(utcnow())
    db.session.commit()
    return {"released": released}


def grant_unanswered_takeovers(progress) -> dict:
    """Takeover requests the holder left unanswered past their answer-by date are granted."""
    from matchmaker.models.base import utcnow
    from matchmaker.services.market import takeovers

    granted = takeovers.grant_unanswered(utcnow())
    db.session.commit()
    return {"granted": granted}


@contextmanager
def committed_step():
    """The session helper a long match run is given (services.match_runs.execute_run): each
    step of the run is committed, so others see it running and a retry can fence off an older
    attempt; a step that fails is rolled back."""
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()


def match_run(run_id: int, progress) -> dict:
    """One county's (or a small region's) matching run; its organizations hear of proposals."""
    from matchmaker.models import MatchRun
    from matchmaker.services.market import matches
    from matchmaker.services.market.match_runs import execute_run

    execute_run(run_id, resume=True, step=committed_step)
    told = matches.tell_proposals(run_id)
    db.session.commit()
    run = db.session.get(MatchRun, run_id)
    return {"proposals": run.proposals, "organizations_told": told}


def abandon_match_run(run_id: int) -> None:
    from matchmaker.services.market.match_runs import abandon_run

    abandon_run(run_id)


def expire_matches(progress) -> dict:
    """Proposals nobody answered in time expire."""
    from matchmaker.models.base import utcnow
    from matchmaker.services.market.match_runs import expire_proposals

    expired = expire_proposals(utcnow())
    db.session.commit()
    return {"expired": expired}


def expire_offers(progress) -> dict:
    """Offers past their available_until stop being offered."""
    from matchmaker.services.market import offers

    expired = offers.expire_offers()
    db.session.commit()
    return {"expired": expired}


def forget_idempotency_keys(progress) -> dict:
    """Idempotency keys older than a day are dropped; the client may use them again."""
    from matchmaker.services.idempotency import forget_old_keys

    forgotten = forget_old_keys()
    db.session.commit()
    return {"forgotten": forgotten}


def remind_due_claims(progress) -> dict:
    """Organizers hear of their claims falling due without a record."""
    from matchmaker.models.base import utcnow
    from matchmaker.services.market import reminders

    reminded = reminders.claims_due_soon(utcnow())
    db.session.commit()
    return {"reminded": reminded}


TASKS: dict[str, Task] = {
    "geocode_region": Task(geocode_region),
    "deliver_outbox": Task(deliver_outbox),
    "preview_import": Task(preview_import, "imports"),
    "apply_import": Task(apply_import, "imports"),
    "announce_need": Task(announce_need),
    "expire_needs": Task(expire_needs),
    "release_stalled_claims": Task(release_stalled_claims),
    "remind_due_claims": Task(remind_due_claims),
    "expire_offers": Task(expire_offers),
    "grant_unanswered_takeovers": Task(grant_unanswered_takeovers),
    "match_run": Task(match_run, "matching", abandon=abandon_match_run),
    "expire_matches": Task(expire_matches),
    "forget_idempotency_keys": Task(forget_idempotency_keys),
}

#: the jobs `matchmaker jobs tick` enqueues, to be run every few minutes from a timer
PERIODIC: tuple[str, ...] = (
    "expire_needs", "expire_offers", "release_stalled_claims", "remind_due_claims",
    "grant_unanswered_takeovers", "expire_matches", "deliver_outbox", "forget_idempotency_keys",
)
