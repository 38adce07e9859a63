"""line jobs

The LINE queue (api/linequeue): webhook events stored before the 200 and LINE deliveries,
claimed by the api processes' workers with a lease.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05 00:09:26.759900

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('line_jobs',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('lane', sa.String(length=80), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=True),
    sa.Column('retry_key', sa.String(length=36), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lease_owner', sa.String(length=80), nullable=True),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=300), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('line_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_line_jobs_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_line_jobs_due', ['status', 'next_at'], unique=False)
        batch_op.create_index('ix_line_jobs_lane', ['lane', 'id'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('line_jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_line_jobs_lane')
        batch_op.drop_index('ix_line_jobs_due')
        batch_op.drop_index(batch_op.f('ix_line_jobs_created_at'))

    op.drop_table('line_jobs')
