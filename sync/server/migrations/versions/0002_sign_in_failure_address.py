"""sign-in failures remember the client address

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 23:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sign_in_failures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address', sa.String(length=64), server_default='', nullable=False,
                                      comment='client address: failures lock a (username, address) pair, '
                                              'never a user everywhere'))


def downgrade() -> None:
    with op.batch_alter_table('sign_in_failures', schema=None) as batch_op:
        batch_op.drop_column('address')
