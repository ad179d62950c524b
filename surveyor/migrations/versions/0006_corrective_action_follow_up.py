"""corrective actions: who puts it right, and the re-inspection that verified it

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 14:50:00

The new status ``in_progress`` needs no schema change (``status`` is free text of 16 characters).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('corrective_actions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assignee', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('verified_by_inspection_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                                      nullable=True))
        batch_op.create_index(batch_op.f('ix_corrective_actions_verified_by_inspection_id'),
                              ['verified_by_inspection_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_corrective_actions_verified_by_inspection_id_inspections'),
                                    'inspections', ['verified_by_inspection_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('corrective_actions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_corrective_actions_verified_by_inspection_id_inspections'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_corrective_actions_verified_by_inspection_id'))
        batch_op.drop_column('verified_by_inspection_id')
        batch_op.drop_column('assignee')
    # Actions in progress were open before this revision.
    op.execute("UPDATE corrective_actions SET status = 'open' WHERE status = 'in_progress'")
