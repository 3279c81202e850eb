"""event_aggregates: what each event's summary is made of, so a new report is added to it

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 15:50:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing events get their row the next time they change (a rebuild from the mentions).
    op.create_table('event_aggregates',
    sa.Column('event_id', sa.String(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('event_id')
    )


def downgrade() -> None:
    op.drop_table('event_aggregates')
