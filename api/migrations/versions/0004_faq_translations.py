"""faq translations

Staff-written answers (and translated questions) of an FAQ entry in やさしい日本語 and the
foreign languages of api.faq.langs, {lang: {question?, answer}}; NULL on existing rows means none.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05 02:11:05.304854

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('faqs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('translations', sa.JSON(), nullable=True))



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('faqs', schema=None) as batch_op:
        batch_op.drop_column('translations')

