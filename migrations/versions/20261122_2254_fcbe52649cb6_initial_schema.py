"""initial schema

Revision ID: fcbe52649cb6
Revises: 
Create Date: 2026-11-22 22:54:19.176322

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'fcbe52649cb6'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('regions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('code_official', sa.Boolean(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('level', sa.Enum('province', 'city', 'county', 'township', 'village', name='region_level', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('path', sa.String(length=255), nullable=False),
    sa.Column('lat', sa.Double(), nullable=True),
    sa.Column('lon', sa.Double(), nullable=True),
    sa.CheckConstraint('lat IS NULL OR (lat BETWEEN -90 AND 90)', name=op.f('ck_regions_lat_range')),
    sa.CheckConstraint('length(code) = 12', name=op.f('ck_regions_code_length')),
    sa.CheckConstraint('lon IS NULL OR (lon BETWEEN -180 AND 180)', name=op.f('ck_regions_lon_range')),
    sa.ForeignKeyConstraint(['parent_id'], ['regions.id'], name=op.f('fk_regions_parent_id_regions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_regions')),
    sa.UniqueConstraint('code', name=op.f('uq_regions_code'))
    )
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_regions_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_regions_path'), ['path'], unique=False)

    op.create_table('households',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('head_name', sa.String(length=64), nullable=False),
    sa.Column('id_number_encrypted', sa.Text(), nullable=False),
    sa.Column('id_number_hash', sa.String(length=64), nullable=False),
    sa.Column('phone_encrypted', sa.Text(), nullable=True),
    sa.Column('phone_hash', sa.String(length=64), nullable=True),
    sa.Column('address', sa.String(length=255), nullable=True),
    sa.Column('status', sa.Enum('poor', 'lifted', 'monitored', name='household_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('poverty_causes', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['village_id'], ['regions.id'], name=op.f('fk_households_village_id_regions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_households')),
    sa.UniqueConstraint('code', name=op.f('uq_households_code')),
    sa.UniqueConstraint('id_number_hash', name=op.f('uq_households_id_number_hash'))
    )
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_households_phone_hash'), ['phone_hash'], unique=False)
        batch_op.create_index('ix_households_village_status', ['village_id', 'status'], unique=False)

    op.create_table('organizations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('kind', sa.Enum('enterprise', 'social_org', 'association', name='organization_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=255), nullable=True),
    sa.Column('contact_phone', sa.String(length=32), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_organizations_region_id_regions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organizations')),
    sa.UniqueConstraint('credit_code', name=op.f('uq_organizations_credit_code')),
    sa.UniqueConstraint('name', name=op.f('uq_organizations_name'))
    )
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organizations_region_id'), ['region_id'], unique=False)

    op.create_table('branches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('level', sa.Enum('branch', 'general_branch', 'committee', name='branch_level', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('formation', sa.Enum('standalone', 'joint', 'attached', name='branch_formation', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_branches_organization_id_organizations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_branches')),
    sa.UniqueConstraint('organization_id', 'name', name=op.f('uq_branches_organization_id_name'))
    )
    with op.batch_alter_table('branches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_branches_organization_id'), ['organization_id'], unique=False)

    op.create_table('members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('id_number_encrypted', sa.Text(), nullable=True),
    sa.Column('id_number_hash', sa.String(length=64), nullable=True),
    sa.Column('relation', sa.String(length=16), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('gender', sa.String(length=8), nullable=True),
    sa.Column('labour_capacity', sa.Enum('strong', 'weak', 'lost', 'none', name='labour_capacity', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('is_student', sa.Boolean(), nullable=False),
    sa.Column('school_stage', sa.String(length=16), nullable=True),
    sa.Column('skills', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_members_household_id_households'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_members')),
    sa.UniqueConstraint('id_number_hash', name=op.f('uq_members_id_number_hash'))
    )
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_members_household_id'), ['household_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.Enum('organizer', 'cadre', 'admin', name='role', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('display_name', sa.String(length=64), nullable=True),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("role != 'cadre' OR region_id IS NOT NULL", name=op.f('ck_users_cadre_has_region')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_users_organization_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_users_region_id_regions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_users_region_id'), ['region_id'], unique=False)

    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('object_type', sa.String(length=32), nullable=True),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_audit_events_user_id_users'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_at'), ['at'], unique=False)
        batch_op.create_index('ix_audit_events_object', ['object_type', 'object_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_user_id'), ['user_id'], unique=False)

    op.create_table('jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('args', sa.JSON(), nullable=False),
    sa.Column('queue', sa.String(length=32), nullable=False),
    sa.Column('status', sa.Enum('queued', 'running', 'finished', 'failed', name='job_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('message', sa.String(length=255), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('enqueued_at', sa.DateTime(), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('progress BETWEEN 0 AND 100', name=op.f('ck_jobs_progress_range')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_jobs_created_by_id_users'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs'))
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index('ix_jobs_status_enqueued', ['status', 'enqueued_at'], unique=False)

    op.create_table('needs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('service', 'goods', 'funds', 'job', 'produce', 'wish', name='need_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=128), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('quantity', sa.Numeric(precision=12, scale=2, asdecimal=False), nullable=True),
    sa.Column('unit', sa.String(length=16), nullable=True),
    sa.Column('amount_yuan', sa.BigInteger(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('review', 'open', 'claimed', 'matched', 'fulfilled', 'cancelled', 'expired', name='need_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('guardian_consent', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('fulfilled_at', sa.DateTime(), nullable=True),
    sa.Column('receipt_note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('amount_yuan IS NULL OR amount_yuan >= 0', name=op.f('ck_needs_amount_not_negative')),
    sa.CheckConstraint('quantity IS NULL OR quantity > 0', name=op.f('ck_needs_quantity_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_needs_created_by_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_needs_household_id_households'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_needs_member_id_members'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['village_id'], ['regions.id'], name=op.f('fk_needs_village_id_regions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_needs'))
    )
    with op.batch_alter_table('needs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_needs_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_needs_member_id'), ['member_id'], unique=False)
        batch_op.create_index('ix_needs_status_kind_village', ['status', 'kind', 'village_id'], unique=False)
        batch_op.create_index('ix_needs_village_status', ['village_id', 'status'], unique=False)

    op.create_table('pairings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('branch_household', 'organization_village', name='pairing_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=True),
    sa.Column('household_id', sa.Integer(), nullable=True),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.CheckConstraint("(kind = 'branch_household' AND branch_id IS NOT NULL AND household_id IS NOT NULL) OR (kind = 'organization_village' AND village_id IS NOT NULL)", name=op.f('ck_pairings_parties_present')),
    sa.CheckConstraint('ended_on IS NULL OR ended_on >= started_on', name=op.f('ck_pairings_dates_ordered')),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_pairings_branch_id_branches'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_pairings_household_id_households'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_pairings_organization_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['village_id'], ['regions.id'], name=op.f('fk_pairings_village_id_regions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pairings'))
    )
    with op.batch_alter_table('pairings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pairings_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pairings_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pairings_village_id'), ['village_id'], unique=False)

    op.create_table('teams',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('categories', sa.JSON(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('lat', sa.Double(), nullable=True),
    sa.Column('lon', sa.Double(), nullable=True),
    sa.Column('radius_km', sa.Double(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('radius_km IS NULL OR radius_km > 0', name=op.f('ck_teams_radius_positive')),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_teams_branch_id_branches'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_teams_region_id_regions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_teams')),
    sa.UniqueConstraint('branch_id', 'name', name=op.f('uq_teams_branch_id_name'))
    )
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_teams_branch_id'), ['branch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_teams_region_id'), ['region_id'], unique=False)

    op.create_table('activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=True),
    sa.Column('end_time', sa.Time(), nullable=True),
    sa.Column('title', sa.String(length=128), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('extra_beneficiaries', sa.Integer(), nullable=False),
    sa.Column('funds_raised_yuan', sa.BigInteger(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'verified', 'rejected', name='verification_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('verified_at', sa.DateTime(), nullable=True),
    sa.Column('rejection_reason', sa.String(length=255), nullable=True),
    sa.Column('late_entry', sa.Boolean(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('verified_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('extra_beneficiaries >= 0', name=op.f('ck_activities_extra_not_negative')),
    sa.CheckConstraint('funds_raised_yuan IS NULL OR funds_raised_yuan >= 0', name=op.f('ck_activities_funds_not_negative')),
    sa.CheckConstraint('start_time IS NULL OR end_time IS NULL OR end_time > start_time', name=op.f('ck_activities_times_ordered')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_activities_created_by_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_activities_organization_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_activities_team_id_teams'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['verified_by_id'], ['users.id'], name=op.f('fk_activities_verified_by_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['village_id'], ['regions.id'], name=op.f('fk_activities_village_id_regions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activities_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_team_id'), ['team_id'], unique=False)
        batch_op.create_index('ix_activities_village_status_date', ['village_id', 'status', 'date'], unique=False)

    op.create_table('match_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('queued', 'running', 'finished', 'failed', name='match_run_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('needs_considered', sa.Integer(), nullable=False),
    sa.Column('offers_considered', sa.Integer(), nullable=False),
    sa.Column('candidates', sa.Integer(), nullable=False),
    sa.Column('proposals', sa.Integer(), nullable=False),
    sa.Column('total_score', sa.Double(), nullable=False),
    sa.Column('timings', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_match_runs_created_by_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_match_runs_job_id_jobs'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_match_runs_region_id_regions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match_runs'))
    )
    op.create_table('offers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('service', 'goods', 'funds', 'job', 'purchase', 'wish_adoption', name='offer_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=128), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('quantity', sa.Numeric(precision=12, scale=2, asdecimal=False), nullable=True),
    sa.Column('unit', sa.String(length=16), nullable=True),
    sa.Column('amount_yuan', sa.BigInteger(), nullable=True),
    sa.Column('openings', sa.Integer(), nullable=True),
    sa.Column('wage_yuan_month', sa.BigInteger(), nullable=True),
    sa.Column('per_wish_cap_yuan', sa.BigInteger(), nullable=True),
    sa.Column('radius_km', sa.Double(), nullable=True),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('lat', sa.Double(), nullable=True),
    sa.Column('lon', sa.Double(), nullable=True),
    sa.Column('available_from', sa.Date(), nullable=True),
    sa.Column('available_until', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('open', 'exhausted', 'closed', 'expired', name='offer_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('capacity', sa.Numeric(precision=14, scale=2, asdecimal=False), nullable=False),
    sa.Column('capacity_used', sa.Numeric(precision=14, scale=2, asdecimal=False), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('amount_yuan IS NULL OR amount_yuan >= 0', name=op.f('ck_offers_amount_not_negative')),
    sa.CheckConstraint('capacity >= 0', name=op.f('ck_offers_capacity_not_negative')),
    sa.CheckConstraint('capacity_used >= 0 AND capacity_used <= capacity', name=op.f('ck_offers_within_capacity')),
    sa.CheckConstraint('openings IS NULL OR openings >= 0', name=op.f('ck_offers_openings_not_negative')),
    sa.CheckConstraint('radius_km IS NULL OR radius_km > 0', name=op.f('ck_offers_radius_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_offers_created_by_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_offers_organization_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_offers_region_id_regions'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_offers_team_id_teams'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offers'))
    )
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offers_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_offers_region_id'), ['region_id'], unique=False)
        batch_op.create_index('ix_offers_status_kind', ['status', 'kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_offers_team_id'), ['team_id'], unique=False)

    op.create_table('volunteers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('phone_encrypted', sa.Text(), nullable=True),
    sa.Column('phone_hash', sa.String(length=64), nullable=True),
    sa.Column('id_number_encrypted', sa.Text(), nullable=True),
    sa.Column('id_number_hash', sa.String(length=64), nullable=True),
    sa.Column('is_party_member', sa.Boolean(), nullable=False),
    sa.Column('skills', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_volunteers_team_id_teams'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteers'))
    )
    with op.batch_alter_table('volunteers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volunteers_id_number_hash'), ['id_number_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_volunteers_phone_hash'), ['phone_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_volunteers_team_id'), ['team_id'], unique=False)

    op.create_table('activity_beneficiaries',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_beneficiaries_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_activity_beneficiaries_member_id_members')),
    sa.PrimaryKeyConstraint('activity_id', 'member_id', name=op.f('pk_activity_beneficiaries'))
    )
    with op.batch_alter_table('activity_beneficiaries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_beneficiaries_member_id'), ['member_id'], unique=False)

    op.create_table('activity_hours',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('hours', sa.BigInteger(), nullable=False),
    sa.Column('is_correction', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('hours > 0 AND hours <= 2400', name=op.f('ck_activity_hours_hours_in_day')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_hours_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_activity_hours_created_by_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteers.id'], name=op.f('fk_activity_hours_volunteer_id_volunteers'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_hours'))
    )
    with op.batch_alter_table('activity_hours', schema=None) as batch_op:
        batch_op.create_index('ix_activity_hours_activity', ['activity_id'], unique=False)
        batch_op.create_index('ix_activity_hours_volunteer_date', ['volunteer_id', 'date'], unique=False)

    op.create_table('activity_needs',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_needs_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['need_id'], ['needs.id'], name=op.f('fk_activity_needs_need_id_needs')),
    sa.PrimaryKeyConstraint('activity_id', 'need_id', name=op.f('pk_activity_needs'))
    )
    with op.batch_alter_table('activity_needs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_needs_need_id'), ['need_id'], unique=False)

    op.create_table('claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('claimed_by_id', sa.Integer(), nullable=True),
    sa.Column('quantity', sa.Numeric(precision=12, scale=2, asdecimal=False), nullable=True),
    sa.Column('amount_yuan', sa.BigInteger(), nullable=True),
    sa.Column('status', sa.Enum('active', 'fulfilled', 'released', 'transferred', name='claim_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('claimed_at', sa.DateTime(), nullable=False),
    sa.Column('due_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('close_reason', sa.String(length=255), nullable=True),
    sa.CheckConstraint('amount_yuan IS NULL OR amount_yuan >= 0', name=op.f('ck_claims_amount_not_negative')),
    sa.CheckConstraint('quantity IS NULL OR quantity > 0', name=op.f('ck_claims_quantity_positive')),
    sa.ForeignKeyConstraint(['claimed_by_id'], ['users.id'], name=op.f('fk_claims_claimed_by_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['need_id'], ['needs.id'], name=op.f('fk_claims_need_id_needs'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['offer_id'], ['offers.id'], name=op.f('fk_claims_offer_id_offers'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_claims_organization_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_claims_team_id_teams'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claims'))
    )
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claims_need_id'), ['need_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_claims_offer_id'), ['offer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_claims_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index('ix_claims_status_due', ['status', 'due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_claims_team_id'), ['team_id'], unique=False)
        batch_op.create_index('uq_claims_active_need_organization', ['need_id', 'organization_id'], unique=True, sqlite_where=sa.text("status = 'active'"), postgresql_where=sa.text("status = 'active'"))

    op.create_table('donations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('offer_id', sa.Integer(), nullable=True),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('money_yuan', sa.BigInteger(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'verified', 'rejected', name='verification_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('verified_at', sa.DateTime(), nullable=True),
    sa.Column('rejection_reason', sa.String(length=255), nullable=True),
    sa.Column('late_entry', sa.Boolean(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('verified_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('money_yuan IS NULL OR money_yuan >= 0', name=op.f('ck_donations_money_not_negative')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_donations_created_by_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['offer_id'], ['offers.id'], name=op.f('fk_donations_offer_id_offers'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_donations_organization_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_donations_team_id_teams'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['verified_by_id'], ['users.id'], name=op.f('fk_donations_verified_by_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['village_id'], ['regions.id'], name=op.f('fk_donations_village_id_regions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_donations'))
    )
    with op.batch_alter_table('donations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_donations_offer_id'), ['offer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_donations_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_donations_team_id'), ['team_id'], unique=False)
        batch_op.create_index('ix_donations_village_status_date', ['village_id', 'status', 'date'], unique=False)

    op.create_table('matches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=12, scale=2, asdecimal=False), nullable=False),
    sa.Column('score', sa.Double(), nullable=False),
    sa.Column('distance_km', sa.Double(), nullable=True),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('proposed', 'accepted', 'declined', 'expired', name='match_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_matches_quantity_positive')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_matches_decided_by_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['need_id'], ['needs.id'], name=op.f('fk_matches_need_id_needs'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['offer_id'], ['offers.id'], name=op.f('fk_matches_offer_id_offers'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['run_id'], ['match_runs.id'], name=op.f('fk_matches_run_id_match_runs'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matches')),
    sa.UniqueConstraint('need_id', 'offer_id', name=op.f('uq_matches_need_id_offer_id'))
    )
    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.create_index('ix_matches_offer_status', ['offer_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_matches_run_id'), ['run_id'], unique=False)
        batch_op.create_index('ix_matches_status_expires', ['status', 'expires_at'], unique=False)

    op.create_table('placements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=True),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('wage_yuan_month', sa.BigInteger(), nullable=True),
    sa.Column('employed_at_3_months', sa.Boolean(), nullable=True),
    sa.Column('employed_at_6_months', sa.Boolean(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'verified', 'rejected', name='verification_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('verified_at', sa.DateTime(), nullable=True),
    sa.Column('rejection_reason', sa.String(length=255), nullable=True),
    sa.Column('late_entry', sa.Boolean(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('verified_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('wage_yuan_month IS NULL OR wage_yuan_month >= 0', name=op.f('ck_placements_wage_not_negative')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_placements_created_by_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_placements_member_id_members'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['need_id'], ['needs.id'], name=op.f('fk_placements_need_id_needs'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['offer_id'], ['offers.id'], name=op.f('fk_placements_offer_id_offers'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_placements_organization_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['verified_by_id'], ['users.id'], name=op.f('fk_placements_verified_by_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['village_id'], ['regions.id'], name=op.f('fk_placements_village_id_regions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_placements')),
    sa.UniqueConstraint('offer_id', 'member_id', name=op.f('uq_placements_offer_id_member_id'))
    )
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_placements_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_placements_need_id'), ['need_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_placements_offer_id'), ['offer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_placements_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index('ix_placements_village_status_date', ['village_id', 'status', 'date'], unique=False)

    op.create_table('purchases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=True),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('product', sa.String(length=64), nullable=False),
    sa.Column('unit', sa.String(length=16), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=12, scale=2, asdecimal=False), nullable=False),
    sa.Column('yuan', sa.BigInteger(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'verified', 'rejected', name='verification_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('verified_at', sa.DateTime(), nullable=True),
    sa.Column('rejection_reason', sa.String(length=255), nullable=True),
    sa.Column('late_entry', sa.Boolean(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('verified_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_purchases_quantity_positive')),
    sa.CheckConstraint('yuan >= 0', name=op.f('ck_purchases_yuan_not_negative')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_purchases_created_by_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['offer_id'], ['offers.id'], name=op.f('fk_purchases_offer_id_offers'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_purchases_organization_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['verified_by_id'], ['users.id'], name=op.f('fk_purchases_verified_by_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['village_id'], ['regions.id'], name=op.f('fk_purchases_village_id_regions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchases'))
    )
    with op.batch_alter_table('purchases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchases_offer_id'), ['offer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchases_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index('ix_purchases_village_status_date', ['village_id', 'status', 'date'], unique=False)

    op.create_table('donation_households',
    sa.Column('donation_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['donation_id'], ['donations.id'], name=op.f('fk_donation_households_donation_id_donations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_donation_households_household_id_households')),
    sa.PrimaryKeyConstraint('donation_id', 'household_id', name=op.f('pk_donation_households'))
    )
    with op.batch_alter_table('donation_households', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_donation_households_household_id'), ['household_id'], unique=False)

    op.create_table('donation_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('donation_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=64), nullable=False),
    sa.Column('unit', sa.String(length=16), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=12, scale=2, asdecimal=False), nullable=False),
    sa.Column('value_yuan', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_donation_items_quantity_positive')),
    sa.CheckConstraint('value_yuan >= 0', name=op.f('ck_donation_items_value_not_negative')),
    sa.ForeignKeyConstraint(['donation_id'], ['donations.id'], name=op.f('fk_donation_items_donation_id_donations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_donation_items'))
    )
    with op.batch_alter_table('donation_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_donation_items_donation_id'), ['donation_id'], unique=False)

    op.create_table('donation_needs',
    sa.Column('donation_id', sa.Integer(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['donation_id'], ['donations.id'], name=op.f('fk_donation_needs_donation_id_donations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['need_id'], ['needs.id'], name=op.f('fk_donation_needs_need_id_needs')),
    sa.PrimaryKeyConstraint('donation_id', 'need_id', name=op.f('pk_donation_needs'))
    )
    with op.batch_alter_table('donation_needs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_donation_needs_need_id'), ['need_id'], unique=False)

    op.create_table('purchase_needs',
    sa.Column('purchase_id', sa.Integer(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['need_id'], ['needs.id'], name=op.f('fk_purchase_needs_need_id_needs')),
    sa.ForeignKeyConstraint(['purchase_id'], ['purchases.id'], name=op.f('fk_purchase_needs_purchase_id_purchases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('purchase_id', 'need_id', name=op.f('pk_purchase_needs'))
    )
    with op.batch_alter_table('purchase_needs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_needs_need_id'), ['need_id'], unique=False)

    op.create_table('purchase_shares',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('purchase_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('yuan', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('yuan >= 0', name=op.f('ck_purchase_shares_yuan_not_negative')),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_purchase_shares_household_id_households'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['purchase_id'], ['purchases.id'], name=op.f('fk_purchase_shares_purchase_id_purchases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_shares')),
    sa.UniqueConstraint('purchase_id', 'household_id', name=op.f('uq_purchase_shares_purchase_id_household_id'))
    )
    with op.batch_alter_table('purchase_shares', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_shares_household_id'), ['household_id'], unique=False)



def downgrade():
    with op.batch_alter_table('purchase_shares', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purchase_shares_household_id'))

    op.drop_table('purchase_shares')
    with op.batch_alter_table('purchase_needs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purchase_needs_need_id'))

    op.drop_table('purchase_needs')
    with op.batch_alter_table('donation_needs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_donation_needs_need_id'))

    op.drop_table('donation_needs')
    with op.batch_alter_table('donation_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_donation_items_donation_id'))

    op.drop_table('donation_items')
    with op.batch_alter_table('donation_households', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_donation_households_household_id'))

    op.drop_table('donation_households')
    with op.batch_alter_table('purchases', schema=None) as batch_op:
        batch_op.drop_index('ix_purchases_village_status_date')
        batch_op.drop_index(batch_op.f('ix_purchases_organization_id'))
        batch_op.drop_index(batch_op.f('ix_purchases_offer_id'))

    op.drop_table('purchases')
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.drop_index('ix_placements_village_status_date')
        batch_op.drop_index(batch_op.f('ix_placements_organization_id'))
        batch_op.drop_index(batch_op.f('ix_placements_offer_id'))
        batch_op.drop_index(batch_op.f('ix_placements_need_id'))
        batch_op.drop_index(batch_op.f('ix_placements_member_id'))

    op.drop_table('placements')
    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.drop_index('ix_matches_status_expires')
        batch_op.drop_index(batch_op.f('ix_matches_run_id'))
        batch_op.drop_index('ix_matches_offer_status')

    op.drop_table('matches')
    with op.batch_alter_table('donations', schema=None) as batch_op:
        batch_op.drop_index('ix_donations_village_status_date')
        batch_op.drop_index(batch_op.f('ix_donations_team_id'))
        batch_op.drop_index(batch_op.f('ix_donations_organization_id'))
        batch_op.drop_index(batch_op.f('ix_donations_offer_id'))

    op.drop_table('donations')
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_index('uq_claims_active_need_organization', sqlite_where=sa.text("status = 'active'"), postgresql_where=sa.text("status = 'active'"))
        batch_op.drop_index(batch_op.f('ix_claims_team_id'))
        batch_op.drop_index('ix_claims_status_due')
        batch_op.drop_index(batch_op.f('ix_claims_organization_id'))
        batch_op.drop_index(batch_op.f('ix_claims_offer_id'))
        batch_op.drop_index(batch_op.f('ix_claims_need_id'))

    op.drop_table('claims')
    with op.batch_alter_table('activity_needs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_needs_need_id'))

    op.drop_table('activity_needs')
    with op.batch_alter_table('activity_hours', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_hours_volunteer_date')
        batch_op.drop_index('ix_activity_hours_activity')

    op.drop_table('activity_hours')
    with op.batch_alter_table('activity_beneficiaries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_beneficiaries_member_id'))

    op.drop_table('activity_beneficiaries')
    with op.batch_alter_table('volunteers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteers_team_id'))
        batch_op.drop_index(batch_op.f('ix_volunteers_phone_hash'))
        batch_op.drop_index(batch_op.f('ix_volunteers_id_number_hash'))

    op.drop_table('volunteers')
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offers_team_id'))
        batch_op.drop_index('ix_offers_status_kind')
        batch_op.drop_index(batch_op.f('ix_offers_region_id'))
        batch_op.drop_index(batch_op.f('ix_offers_organization_id'))

    op.drop_table('offers')
    op.drop_table('match_runs')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index('ix_activities_village_status_date')
        batch_op.drop_index(batch_op.f('ix_activities_team_id'))
        batch_op.drop_index(batch_op.f('ix_activities_organization_id'))

    op.drop_table('activities')
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_teams_region_id'))
        batch_op.drop_index(batch_op.f('ix_teams_branch_id'))

    op.drop_table('teams')
    with op.batch_alter_table('pairings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pairings_village_id'))
        batch_op.drop_index(batch_op.f('ix_pairings_organization_id'))
        batch_op.drop_index(batch_op.f('ix_pairings_household_id'))

    op.drop_table('pairings')
    with op.batch_alter_table('needs', schema=None) as batch_op:
        batch_op.drop_index('ix_needs_village_status')
        batch_op.drop_index('ix_needs_status_kind_village')
        batch_op.drop_index(batch_op.f('ix_needs_member_id'))
        batch_op.drop_index(batch_op.f('ix_needs_household_id'))

    op.drop_table('needs')
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_jobs_status_enqueued')

    op.drop_table('jobs')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_user_id'))
        batch_op.drop_index('ix_audit_events_object')
        batch_op.drop_index(batch_op.f('ix_audit_events_at'))

    op.drop_table('audit_events')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_region_id'))
        batch_op.drop_index(batch_op.f('ix_users_organization_id'))

    op.drop_table('users')
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_members_household_id'))

    op.drop_table('members')
    with op.batch_alter_table('branches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_branches_organization_id'))

    op.drop_table('branches')
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organizations_region_id'))

    op.drop_table('organizations')
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.drop_index('ix_households_village_status')
        batch_op.drop_index(batch_op.f('ix_households_phone_hash'))

    op.drop_table('households')
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_regions_path'))
        batch_op.drop_index(batch_op.f('ix_regions_parent_id'))

    op.drop_table('regions')
