"""staff offers and departments

A staff member may offer a live chat to a resident who left a question (issue 14): live_chats
gets `origin` (resident | staff) and `offer_sent_at` (when the web resident's widget took the
offer: it is shown once). Staff accounts get their department (担当課): the live-chat page opens
on its queue.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 05:40:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('live_chats') as batch:
        batch.add_column(sa.Column('origin', sa.String(length=10), nullable=False, server_default='resident'))
        batch.add_column(sa.Column('offer_sent_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('staff_users') as batch:
        batch.add_column(sa.Column('department', sa.String(length=100), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('staff_users') as batch:
        batch.drop_column('department')
    with op.batch_alter_table('live_chats') as batch:
        batch.drop_column('offer_sent_at')
        batch.drop_column('origin')
