"""audit log; changelog entries remember when they were appended

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False,
              comment='username; the operating-system user for the command line'),
    sa.Column('device', sa.String(length=64), nullable=False,
              comment="the token's device id; 'cli' for the command line"),
    sa.Column('action', sa.String(length=64), nullable=False,
              comment='what was done, e.g. command.suggestion.submit, user.add'),
    sa.Column('detail', sa.Text(), nullable=False, comment='JSON'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log')),
    info={'replicated': False}
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_actor_at'), ['actor', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)

    # A plain ADD COLUMN (SQLite cannot add one with a non-constant default, and rebuilding the
    # changelog would cost more than it is worth): appends fill it in (sync.server.changelog), and
    # entries written before this migration count as written now, so none is compacted early.
    with op.batch_alter_table('changelog', schema=None) as batch_op:
        batch_op.add_column(sa.Column('at', sa.DateTime(timezone=True), nullable=True,
                                      comment='when appended (UTC, the database\'s clock): '
                                              'compaction keeps young tombstones'))
    op.execute("UPDATE changelog SET at = CURRENT_TIMESTAMP WHERE at IS NULL")


def downgrade() -> None:
    with op.batch_alter_table('changelog', schema=None) as batch_op:
        batch_op.drop_column('at')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))
        batch_op.drop_index(batch_op.f('ix_audit_log_actor_at'))
    op.drop_table('audit_log')
