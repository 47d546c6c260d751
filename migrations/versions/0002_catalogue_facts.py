"""Catalogue: attest types, background check, praksis months and sources per occupation

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('catalogue_occupations') as batch:
        batch.add_column(sa.Column('attest', sa.JSON(), nullable=False, server_default='[]'))
        batch.add_column(sa.Column('background_check', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column('praksis_months', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('sources', sa.JSON(), nullable=False, server_default='[]'))


def downgrade() -> None:
    with op.batch_alter_table('catalogue_occupations') as batch:
        for column in ('sources', 'praksis_months', 'background_check', 'attest'):
            batch.drop_column(column)
