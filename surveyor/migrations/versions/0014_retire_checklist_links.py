"""retire the citizen links older releases gave to checklists

Revision ID: 0014
Revises: 0007
Create Date: 2026-12-07 21:00:00

Checklists are filled by inspectors and never by citizens (penetration test, Low 11), yet
importing a point with a checklist issued it a citizen link, QR code and poster like a
questionnaire's. Such links are retired (kept, as every retired link is, with their date), so
their posters lead to a "replaced" page, and the collection windows set on checklists, which
opened nothing citizens could use, are removed. No schema change: the rule is enforced by the
models from now on. The downgrade leaves the links retired.
"""
import datetime as dt

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0008'
branch_labels = None
depends_on = None

CHECKLISTS = "SELECT id FROM instruments WHERE kind = 'checklist'"


def upgrade():
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)  # naive UTC, as UTCDateTime stores it
    links = sa.table("survey_links", sa.column("retired_at", sa.DateTime), sa.column("instrument_id", sa.Integer))
    op.execute(links.update().where(links.c.retired_at.is_(None), links.c.instrument_id.in_(sa.text(CHECKLISTS)))
               .values(retired_at=now))
    op.execute(sa.text(f"DELETE FROM collection_windows WHERE instrument_id IN ({CHECKLISTS})"))


def downgrade():
    pass
