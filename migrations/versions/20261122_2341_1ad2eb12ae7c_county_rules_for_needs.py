"""county rules for needs

Revision ID: 1ad2eb12ae7c
Revises: b9699e725360
Create Date: 2026-11-22 23:41:35.200778

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1ad2eb12ae7c'
down_revision = 'b9699e725360'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('county_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=False),
    sa.Column('wish_categories', sa.JSON(), nullable=True),
    sa.Column('one_open_wish_per_member', sa.Boolean(), nullable=False),
    sa.Column('township_review', sa.Boolean(), nullable=False),
    sa.Column('wish_cap_yuan', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('wish_cap_yuan IS NULL OR wish_cap_yuan > 0', name=op.f('ck_county_rules_cap_positive')),
    sa.ForeignKeyConstraint(['county_id'], ['regions.id'], name=op.f('fk_county_rules_county_id_regions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_county_rules')),
    sa.UniqueConstraint('county_id', name=op.f('uq_county_rules_county_id'))
    )


def downgrade():
    op.drop_table('county_rules')
