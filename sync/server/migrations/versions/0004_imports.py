"""imports: the record of each imported finance file (name, hash, who, when, rows)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 12:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('imports',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False, comment='regions | departments | … | execution | final'),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False, comment='the same file is never imported twice'),
    sa.Column('year', sa.SmallInteger(), nullable=True),
    sa.Column('month', sa.SmallInteger(), nullable=True),
    sa.Column('imported_by', sa.String(length=64), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False, comment='data rows read (合计/小计 rows not counted)'),
    sa.Column('changes', sa.Text(), nullable=False, comment='JSON: table → inserted, updated, deleted'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_imports')),
    sa.UniqueConstraint('sha256', name=op.f('uq_imports_sha256')),
    info={'replicated': False}
    )


def downgrade() -> None:
    op.drop_table('imports')
