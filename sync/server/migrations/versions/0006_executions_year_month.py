"""executions (year, month) index: the as-of month of a year read from the index, not a city's million rows

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 04:10:00
"""
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(op.f('ix_executions_year_month'), 'executions', ['year', 'month'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_executions_year_month'), table_name='executions')
