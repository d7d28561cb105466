"""region path index usable by prefix LIKE on PostgreSQL

Revision ID: f3a9c1d2e4b5
Revises: e8f2a1b3c4d5
Create Date: 2026-12-02 19:25:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f3a9c1d2e4b5'
down_revision = 'e8f2a1b3c4d5'
branch_labels = None
depends_on = None


def upgrade():
    # SQLite's index on path serves the prefix LIKE already; PostgreSQL's needs the pattern
    # operator class unless the database's collation is C
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index('ix_regions_path', table_name='regions')
        op.create_index('ix_regions_path', 'regions', ['path'], unique=False,
                        postgresql_ops={'path': 'varchar_pattern_ops'})


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index('ix_regions_path', table_name='regions')
        op.create_index('ix_regions_path', 'regions', ['path'], unique=False)
