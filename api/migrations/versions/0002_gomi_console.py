"""gomi console: file columns, initials, aliases, origin; asked-for item

A dataset's own column headers (for the export in its layout), an item's 頭文字, other names
and where it came from (the file or staff); the name of an item a resident asked for that the
list lacks (masked, for the inbox). Existing rows get the models' defaults.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04 23:49:33.331115

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('conversation_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('item', sa.String(length=200), nullable=True))

    with op.batch_alter_table('gomi_datasets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('columns', sa.JSON(), nullable=False, server_default='{}'))

    with op.batch_alter_table('gomi_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('initial', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('aliases', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('origin', sa.String(length=10), nullable=False, server_default='file'))



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('gomi_items', schema=None) as batch_op:
        batch_op.drop_column('origin')
        batch_op.drop_column('aliases')
        batch_op.drop_column('initial')

    with op.batch_alter_table('gomi_datasets', schema=None) as batch_op:
        batch_op.drop_column('columns')

    with op.batch_alter_table('conversation_events', schema=None) as batch_op:
        batch_op.drop_column('item')

