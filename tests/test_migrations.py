"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from matchmaker.extensions import db
from matchmaker.models import Base


def test_models_and_migrations_agree(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_migrations_create_every_model_table(app):
    tables = set(inspect(db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_check_constraints_refuse_negative_money(app):
    from decimal import Decimal

    import pytest
    from sqlalchemy.exc import IntegrityError

    from matchmaker.models import Donation, Organization, OrganizationKind, Region
    from sqlalchemy import select

    village = db.session.scalar(select(Region).where(Region.level == "village"))
    organization = Organization(name="测试企业", kind=OrganizationKind.ENTERPRISE,
                                region_id=village.id)
    db.session.add(organization)
    db.session.flush()
    db.session.add(Donation(organization_id=organization.id, village_id=village.id,
                            date=__import__("datetime").date(2026, 5, 1),
                            money_yuan=Decimal("-1")))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
