"""Ratings: the comment's conversation, so that deletion and retention remove the comment

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 03:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('quality_ratings') as batch:
        batch.add_column(sa.Column('sender_id', sa.String(length=255), nullable=True))
        batch.create_index(batch.f('ix_quality_ratings_sender_id'), ['sender_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('quality_ratings') as batch:
        batch.drop_index(batch.f('ix_quality_ratings_sender_id'))
        batch.drop_column('sender_id')
