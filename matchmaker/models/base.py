"""Declarative base, naming convention, column types and mixins shared by every model."""
from __future__ import annotations

import enum
from datetime import datetime, timezone
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class _Scaled(sa.types.TypeDecorator):
    """A decimal stored as a scaled integer: exact sums on SQLite and PostgreSQL alike."""

    impl = sa.BigInteger
    cache_ok = True
    scale = 100

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return int((Decimal(str(value)) * self.scale).to_integral_value())

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return Decimal(int(value)) / self.scale


class Yuan(_Scaled):
    """Money in 元, kept as whole 分 (fen)."""

    cache_ok = True


class Hours(_Scaled):
    """Hours, kept as hundredths of an hour."""

    cache_ok = True


def enum_type(enum_class: type[enum.StrEnum]) -> sa.Enum:
    """A StrEnum stored as its lower-case value in a VARCHAR with a CHECK constraint."""
    name = "".join("_" + c.lower() if c.isupper() else c for c in enum_class.__name__)[1:]
    return sa.Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_class),
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def fk(target: str, **kwargs) -> sa.ForeignKey:
    """A foreign key that refuses to orphan children unless told otherwise."""
    kwargs.setdefault("ondelete", "RESTRICT")
    return sa.ForeignKey(target, **kwargs)
