"""staff sessions that can be revoked, one-time passwords that expire, no hard lock

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 18:00:00

``session_version`` is stamped into each login's session and checked on every request; bumping
it (logout, password change or reset, deactivation) ends every session of the account.
``password_expires_at`` gives a one-time password its lifetime. The per-account lock
(``failed_logins``, ``locked_until``) is replaced by failure counters per account and client in
the rate-limit storage, so an attacker can no longer lock anyone out; the columns go.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('password_expires_at', sa.DateTime(), nullable=True))
        batch_op.drop_column('failed_logins')
        batch_op.drop_column('locked_until')


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False))
        batch_op.drop_column('password_expires_at')
        batch_op.drop_column('session_version')
