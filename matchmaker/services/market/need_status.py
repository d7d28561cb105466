"""The need's life in one table: every status change a need may make, and the conditional UPDATEs
that make them.

A need is created in review (when its county asks for the township's review) or open; from there:
review → open (approved) or cancelled (sent back); open → claimed (a claim, or pledges covering it
all) or matched (an accepted match suggestion); claimed or matched → open again (the claim
released), fulfilled (the household's receipt) or cancelled; review or open → expired after the
deadline; and a cadre may cancel any need still live. Fulfilled, cancelled and expired are final.

Every service moves a need through `move`, whose WHERE names the statuses the move may start from:
of two simultaneous moves only one still finds the row in such a status (race-free on SQLite and
PostgreSQL alike, as before), and a move the table does not allow is never written.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update

from matchmaker import labels
from matchmaker.errors import InvalidTransition
from matchmaker.extensions import db
from matchmaker.models import Need, NeedStatus
from matchmaker.models.base import utcnow

REVIEW, OPEN, CLAIMED, MATCHED = (NeedStatus.REVIEW, NeedStatus.OPEN, NeedStatus.CLAIMED,
                                  NeedStatus.MATCHED)
#: a need someone took on: claimed (claims, pledges) or matched (an accepted suggestion)
TAKEN = (CLAIMED, MATCHED)
#: a need still alive: nothing final has happened to it
LIVE = (REVIEW, OPEN, *TAKEN)
#: the statuses a need is created in
INITIAL = (REVIEW, OPEN)


@dataclass(frozen=True)
class Move:
    sources: tuple[NeedStatus, ...]
    target: NeedStatus


MOVES = {
    "approve": Move((REVIEW,), OPEN),
    "reject": Move((REVIEW,), NeedStatus.CANCELLED),
    "claim": Move((OPEN,), CLAIMED),
    "match": Move((OPEN,), MATCHED),
    "release": Move(TAKEN, OPEN),
    "fulfil": Move(TAKEN, NeedStatus.FULFILLED),
    "cancel": Move(LIVE, NeedStatus.CANCELLED),
    "expire": Move((REVIEW, OPEN), NeedStatus.EXPIRED),
}
#: every (from, to) pair the table allows
ALLOWED = frozenset((source, move.target) for move in MOVES.values() for source in move.sources)
#: the move that takes an open need for each status a taker may give it
TAKE = {CLAIMED: "claim", MATCHED: "match"}


def check(current: NeedStatus, target: NeedStatus) -> None:
    """Raise InvalidTransition unless the table lets a need go from `current` to `target`."""
    if (current, target) not in ALLOWED:
        raise InvalidTransition(f"需求不能从“{labels.NEED_STATUS[current.value]}”"
                                f"变为“{labels.NEED_STATUS[target.value]}”")


def may(name: str, status: NeedStatus) -> bool:
    """Whether a need in `status` may make the move `name` now."""
    return status in MOVES[name].sources


def moving(name: str, *terms):
    """The conditional UPDATE of the move: the need's status among the move's sources (and the
    caller's further terms), set to its target."""
    move = MOVES[name]
    return update(Need).where(Need.status.in_(move.sources), *terms).values(status=move.target)


def move(need_id: int, name: str) -> bool:
    """Make the move on one need; False when the need was not in a status it starts from (someone
    else moved it first). No ORM sync: callers refresh what they hold."""
    result = db.session.execute(moving(name, Need.id == need_id),
                                execution_options={"synchronize_session": False})
    return result.rowcount == 1


def hold_if(name: str, need_id: int) -> bool:
    """Hold the need's row for this transaction if it may still make the move `name` (a row lock
    on PostgreSQL, the write lock on SQLite); False when it may not."""
    statement = update(Need).where(Need.id == need_id, Need.status.in_(MOVES[name].sources))
    result = db.session.execute(statement.values(updated_at=utcnow()),
                                execution_options={"synchronize_session": False})
    return result.rowcount == 1
