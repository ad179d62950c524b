"""survey links remember when their poster was printed

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 23:45:00

The administrator's home lists the live links whose poster was never made: a link nobody can
scan collects nothing. ``poster_printed_at`` is stamped whenever a poster PDF holding the link
is made (the admin page's posters.pdf or ``surveyor points posters``). Links that existed
before this migration are taken as not printed: nothing recorded that they were.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("survey_links") as batch:
        batch.add_column(sa.Column("poster_printed_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("survey_links") as batch:
        batch.drop_column("poster_printed_at")
