"""events.block, block_kind, block_area: the merge's blocks as indexed columns; a site's
undated events by index

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 18:00:00.000000
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from sitrep.events.merge import EventState, block_of

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('block', sa.String(), nullable=True))
        batch_op.add_column(sa.Column('block_kind', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('block_area', sa.String(), nullable=True))
        batch_op.create_index('ix_events_blocks', ['block', 'date_lo'], unique=False)
        # a site's undated events were found by scanning all of the site's events
        batch_op.drop_index('ix_events_place')
        batch_op.create_index('ix_events_place', ['place_key', 'date_lo'], unique=False)
    # Existing events are filed now: new reports find them by these columns only.
    conn = op.get_bind()
    events = sa.table('events', sa.column('event_id', sa.String), sa.column('state', sa.JSON),
                      sa.column('block', sa.String), sa.column('block_kind', sa.String),
                      sa.column('block_area', sa.String))
    rows = conn.execute(sa.select(events.c.event_id, events.c.state)).fetchall()
    for event_id, state in rows:
        st = EventState.from_dict(json.loads(state) if isinstance(state, str) else state)
        block, kind, area = block_of(st)
        conn.execute(sa.update(events).where(events.c.event_id == event_id)
                     .values(block=block, block_kind=kind, block_area=area))


def downgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_place')
        batch_op.create_index('ix_events_place', ['place_key'], unique=False)
        batch_op.drop_index('ix_events_blocks')
        batch_op.drop_column('block_area')
        batch_op.drop_column('block_kind')
        batch_op.drop_column('block')
