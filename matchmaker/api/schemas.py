"""Plain to_dict functions and the JSON schemas of what they return."""
from __future__ import annotations

from datetime import datetime

from matchmaker.api.spec import number, obj, string
from matchmaker.models import JobRecord, Region

REGION = obj(("code", "name", "level", "parent_code", "lat", "lon"),
             code=string(), name=string(), level=string(),
             parent_code={"type": ["string", "null"]},
             lat=number(nullable=True), lon=number(nullable=True))

JOB = obj(("id", "kind", "status", "progress"), id={"type": "integer"}, kind=string(),
          status=string(), progress={"type": "integer"},
          message={"type": ["string", "null"]}, error={"type": ["string", "null"]})


def timestamp(value: datetime | None) -> str | None:
    """A stored (naive, UTC) time in RFC 3339, as the document's "date-time" promises."""
    return value.isoformat(timespec="seconds") + "Z" if value is not None else None


def region_to_dict(region: Region) -> dict:
    return {"code": region.code, "name": region.name, "level": region.level.value,
            "parent_code": region.parent.code if region.parent else None,
            "lat": region.lat, "lon": region.lon}


def job_to_dict(job: JobRecord) -> dict:
    return {"id": job.id, "kind": job.kind, "status": job.status.value, "progress": job.progress,
            "message": job.message, "error": "任务失败" if job.error else None}
