"""Login throttle: a growing wait between failed attempts, before the lock-out

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('review_login_throttle') as batch:
        batch.add_column(sa.Column('wait_until', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('review_login_throttle') as batch:
        batch.drop_column('wait_until')
