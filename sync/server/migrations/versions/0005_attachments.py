"""attachments: replicated metadata of uploaded files, and server-only resumable upload sessions

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 12:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('attachments',
    sa.Column('id', sa.String(length=36), nullable=False, comment="UUID made on the uploader's PC"),
    sa.Column('owner_type', sa.String(length=16), nullable=False),
    sa.Column('owner_id', sa.String(length=40), nullable=False),
    sa.Column('region_code', sa.String(length=12), nullable=False, comment="the owner's, for scope filtering"),
    sa.Column('department_code', sa.String(length=16), nullable=True,
              comment="the owning suggestion's department; '*' for a milestone; NULL for an inspection"),
    sa.Column('uploader_id', sa.BigInteger(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False, comment='sanitised'),
    sa.Column('content_type', sa.String(length=100), nullable=False, comment='taken from the content, not the name'),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("owner_type IN ('suggestion', 'suggestion_event', 'inspection', 'milestone')",
                       name=op.f('ck_attachments_owner_type')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments')),
    info={'replicated': True}
    )
    op.create_index(op.f('ix_attachments_owner_type_owner_id'), 'attachments', ['owner_type', 'owner_id'])
    op.create_table('upload_sessions',
    sa.Column('id', sa.String(length=36), nullable=False, comment="the attachment's id"),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('owner_type', sa.String(length=16), nullable=False),
    sa.Column('owner_id', sa.String(length=40), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False, comment='declared'),
    sa.Column('sha256', sa.String(length=64), nullable=False, comment='declared; checked on completion'),
    sa.Column('received', sa.BigInteger(), nullable=False, comment='bytes acknowledged'),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_upload_sessions')),
    info={'replicated': False}
    )


def downgrade() -> None:
    op.drop_table('upload_sessions')
    op.drop_index(op.f('ix_attachments_owner_type_owner_id'), table_name='attachments')
    op.drop_table('attachments')
