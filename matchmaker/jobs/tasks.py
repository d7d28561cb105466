"""The job functions, by name. Each takes record ids, loads, calls a service and commits."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from matchmaker.extensions import db


@dataclass(frozen=True)
class Task:
    function: Callable[..., dict | None]
    queue: str = "default"

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


TASKS: dict[str, Task] = {
    "geocode_region": Task(geocode_region),
    "deliver_outbox": Task(deliver_outbox),
}

#: the jobs `matchmaker jobs tick` enqueues, to be run every few minutes from a timer
PERIODIC: tuple[str, ...] = ("deliver_outbox",)
