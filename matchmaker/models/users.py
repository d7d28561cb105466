"""Accounts, roles and API tokens."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from matchmaker.models.base import Base, TimestampMixin, enum_type, fk, utcnow
from matchmaker.models.orgs import Organization
from matchmaker.models.regions import Region


class Role(enum.StrEnum):
    ORGANIZER = "organizer"
    CADRE = "cadre"
    ADMIN = "admin"


class User(UserMixin, TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(enum_type(Role))
    display_name: Mapped[str | None] = mapped_column(sa.String(64))
    #: the village or township a cadre answers for
    region_id: Mapped[int | None] = mapped_column(fk("regions.id"), index=True)
    #: the organization an organizer belongs to (bound by its first registration)
    organization_id: Mapped[int | None] = mapped_column(fk("organizations.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    #: bumped at logout-everywhere and password change: older sessions stop working
    session_version: Mapped[int] = mapped_column(default=1)
    failed_logins: Mapped[int] = mapped_column(default=0)
    last_login_at: Mapped[datetime | None]

    region: Mapped[Region | None] = relationship()
    organization: Mapped[Organization | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("role != 'cadre' OR region_id IS NOT NULL", name="cadre_has_region"),
    )

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def set_password(self, password: str) -> None:
        """Hash with the configured PASSWORD_HASH_METHOD (scrypt; the tests set a cheap one)."""
        self.password_hash = generate_password_hash(
            password, current_app.config["PASSWORD_HASH_METHOD"])
        self.session_version = (self.session_version or 0) + 1

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(fk("users.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the bearer token; the token itself is shown once and never stored
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: the user's session version when issued; the token dies when it changes
    session_version: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    def is_valid(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at
