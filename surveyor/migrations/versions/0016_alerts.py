"""early-warning alerts

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-08 00:00:00

``surveyor alerts scan`` writes one row per detector signal (a drop in the outcome or the
recommend score, a burst of flagged responses, a silent point) at a (service point,
instrument); ``key`` is unique so that scanning twice creates nothing new.
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'alerts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=160), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('service_point_id', sa.Integer(), nullable=False),
        sa.Column('instrument_id', sa.Integer(), nullable=False),
        sa.Column('detected_at', sa.DateTime(), nullable=False),
        sa.Column('period_start', sa.DateTime(), nullable=True),
        sa.Column('period_end', sa.DateTime(), nullable=True),
        sa.Column('statistic', sa.Float(), nullable=True),
        sa.Column('threshold', sa.Float(), nullable=True),
        sa.Column('baseline', sa.Float(), nullable=True),
        sa.Column('observed', sa.Float(), nullable=True),
        sa.Column('responses', sa.Integer(), nullable=True),
        sa.Column('details', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('status_changed_at', sa.DateTime(), nullable=True),
        sa.Column('status_changed_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['instrument_id'], ['instruments.id'],
                                name=op.f('fk_alerts_instrument_id_instruments')),
        sa.ForeignKeyConstraint(['service_point_id'], ['service_points.id'],
                                name=op.f('fk_alerts_service_point_id_service_points'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['status_changed_by_id'], ['users.id'],
                                name=op.f('fk_alerts_status_changed_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts')),
        sa.UniqueConstraint('key', name=op.f('uq_alerts_key')),
    )
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alerts_instrument_id'), ['instrument_id'], unique=False)
        batch_op.create_index('ix_alerts_status_detected', ['status', 'detected_at'], unique=False)
        batch_op.create_index('ix_alerts_point_instrument_kind', ['service_point_id', 'instrument_id', 'kind'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_index('ix_alerts_point_instrument_kind')
        batch_op.drop_index('ix_alerts_status_detected')
        batch_op.drop_index(batch_op.f('ix_alerts_instrument_id'))
    op.drop_table('alerts')
