"""ticket request keys

The action server sends each ticket request with a random key and sends it again, once, when the
api instance it reached died before answering (scaled mode: another instance takes it). tickets
gets `request_key` (unique): the request sent again gets the ticket the first one made.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 23:40:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('tickets') as batch:
        batch.add_column(sa.Column('request_key', sa.String(length=64), nullable=True))
        batch.create_index('ix_tickets_request_key', ['request_key'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('tickets') as batch:
        batch.drop_index('ix_tickets_request_key')
        batch.drop_column('request_key')
