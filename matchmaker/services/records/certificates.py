"""Service certificates (志愿服务记录证明) with a number anyone can check on a public page.

The number carries what the certificate states (volunteer, period, verified hours, the day it
was issued) and a keyed signature over them, so checking needs no stored certificate and a
changed figure cannot pass: V{volunteer}-{from}-{to}-{hours×100}-{issued}-{signature}.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import date

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select, type_coerce

from matchmaker import privacy
from matchmaker.errors import Invalid, NotFound
from matchmaker.extensions import db
from matchmaker.labels import ALL_CATEGORIES
from matchmaker.models import Activity, ActivityHours, Organization, Team, User, Volunteer
from matchmaker.models import VerificationStatus
from matchmaker.services.registry import orgs

SIGNATURE_LENGTH = 12


def _signature(payload: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"certificate:{payload}".encode(), hashlib.sha256).hexdigest()[
        :SIGNATURE_LENGTH].upper()


def _verified_lines(volunteer_id: int, date_from: date, date_to: date):
    return (select(ActivityHours, Activity).join(Activity, Activity.id == ActivityHours.activity_id)
            .where(ActivityHours.volunteer_id == volunteer_id,
                   Activity.status == VerificationStatus.VERIFIED,
                   Activity.date >= date_from, Activity.date <= date_to))


def _hundredths(volunteer_id: int, date_from: date, date_to: date) -> int:
    lines = _verified_lines(volunteer_id, date_from, date_to).subquery()
    return int(db.session.scalar(select(func.sum(type_coerce(lines.c.hours, sa.BigInteger))))
               or 0)


def day_text(day: date) -> str:
    """A date as a certificate writes it: 2026年3月1日."""
    return _("%(y)d年%(m)d月%(d)d日", y=day.year, m=day.month, d=day.day)


def statement(shown: dict) -> str:
    """What the certificate attests, worded once for the page and the PDF."""
    return _("兹证明 %(name)s(身份证号 %(id)s)于 %(start)s 至 %(end)s 期间,在 %(org)s %(team)s "
             "参加志愿服务,经服务地村(社区)干部核实的志愿服务时长共计 %(hours)s 小时。",
             name=shown["name"], id=shown["id_number"] or _("未登记"),
             start=day_text(shown["date_from"]), end=day_text(shown["date_to"]),
             org=shown["organization"], team=shown["team"], hours="%g" % shown["hours"])


def check_url() -> str:
    """The public check page's address, under MATCHMAKER_BASE_URL: documents never take the
    request's Host header, which anyone sending the request chooses."""
    return current_app.config["BASE_URL"].rstrip("/") + url_for("public.check_certificate")


def certificate(volunteer_id: int, user: User, date_from: date, date_to: date) -> dict:
    """The certificate of a volunteer of the organizer's organization for a period."""
    volunteer = db.session.get(Volunteer, volunteer_id)
    if volunteer is None or not orgs.can_manage(user, volunteer.team.branch.organization_id):
        raise NotFound("找不到该志愿者")
    if date_from > date_to:
        raise Invalid({"to": "截止日期不能早于起始日期"})
    hours = _hundredths(volunteer.id, date_from, date_to)
    issued = date.today()
    payload = f"V{volunteer.id}-{date_from:%Y%m%d}-{date_to:%Y%m%d}-{hours}-{issued:%Y%m%d}"
    organization = db.session.get(Organization, volunteer.team.branch.organization_id)
    rows = db.session.execute(_verified_lines(volunteer.id, date_from, date_to)
                              .order_by(Activity.date)).all()
    id_number = privacy.decrypt(volunteer.id_number_encrypted) \
        if volunteer.id_number_encrypted else None
    shown = {"number": f"{payload}-{_signature(payload)}", "volunteer_id": volunteer.id,
             "name": volunteer.name, "id_number": privacy.mask_id_number(id_number),
             "team": volunteer.team.name,
             "organization": organization.name, "contact": organization.contact_phone,
             "date_from": date_from, "date_to": date_to, "hours": hours / 100, "issued": issued,
             "services": [{"date": activity.date, "title": activity.title,
                           "category": ALL_CATEGORIES.get(activity.category, activity.category),
                           "hours": float(line.hours), "correction": line.is_correction}
                          for line, activity in rows]}
    return shown | {"statement": statement(shown), "check_url": check_url()}


def _day(text: str) -> date:
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))


def check(number: str) -> dict | None:
    """What a genuine certificate number states, or None when it is not one of ours."""
    payload, _, signature = number.strip().upper().rpartition("-")
    if not payload.startswith("V") or payload.count("-") != 4 or not hmac.compare_digest(signature, _signature(payload)):
        return None
    volunteer_id, date_from, date_to, hours, issued = payload[1:].split("-")
    volunteer = db.session.get(Volunteer, int(volunteer_id))
    if volunteer is None:
        return None
    team = db.session.get(Team, volunteer.team_id)
    organization = db.session.get(Organization, team.branch.organization_id)
    return {"name": volunteer.name[0] + "*" * (len(volunteer.name) - 1),
             "organization": organization.name, "date_from": _day(date_from),
            "date_to": _day(date_to), "hours": int(hours) / 100, "issued": _day(issued),
            "hours_now": _hundredths(volunteer.id, _day(date_from), _day(date_to)) / 100}
