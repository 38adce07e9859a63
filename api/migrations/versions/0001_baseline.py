"""Baseline: the schema of the last version without migrations.

Its models' create_all, written out (autogenerate, then reviewed), so that later changes of
the models never change what this revision creates.

Databases made by that version or earlier ones are brought to this shape and stamped with
this revision by api.migrations.legacy, which runs this same upgrade() with operations that
keep what exists: keep it to op.create_table and op.create_index calls.

Revision ID: 0001
Revises:
Create Date: 2026-12-04
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0001'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('applications',
        sa.Column('number', sa.String(length=20), nullable=False),
        sa.Column('procedure', sa.String(length=200), nullable=False),
        sa.Column('birth_date', sa.Date(), nullable=False),
        sa.Column('status', sa.String(length=30), nullable=False),
        sa.Column('department', sa.String(length=200), nullable=False),
        sa.Column('phone', sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint('number')
    )
    op.create_table('conversation_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('sender_hash', sa.String(length=64), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('zone', sa.String(length=10), nullable=True),
        sa.Column('faq_id', sa.String(length=64), nullable=True),
        sa.Column('helpful', sa.Boolean(), nullable=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_conv_kind_day', 'conversation_events', ['kind', 'day'], unique=False)
    op.create_index('ix_conv_sender_at', 'conversation_events', ['sender_hash', 'at'], unique=False)
    op.create_index(op.f('ix_conversation_events_day'), 'conversation_events', ['day'], unique=False)
    op.create_table('faq_feedback',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('faq_id', sa.String(length=64), nullable=False),
        sa.Column('helpful', sa.Boolean(), nullable=False),
        sa.Column('sender_hash', sa.String(length=64), nullable=False),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_faq_feedback_faq_id'), 'faq_feedback', ['faq_id'], unique=False)
    op.create_table('faq_revisions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('faq_id', sa.String(length=64), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('snapshot', sa.JSON(), nullable=False),
        sa.Column('actor', sa.String(length=64), nullable=False),
        sa.Column('action', sa.String(length=20), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('faq_id', 'number')
    )
    op.create_index(op.f('ix_faq_revisions_faq_id'), 'faq_revisions', ['faq_id'], unique=False)
    op.create_table('faqs',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('question', sa.Text(), nullable=False),
        sa.Column('alternatives', sa.JSON(), nullable=False),
        sa.Column('answer', sa.Text(), nullable=False),
        sa.Column('category', sa.String(length=100), nullable=True),
        sa.Column('department', sa.String(length=200), nullable=True),
        sa.Column('phone', sa.String(length=40), nullable=True),
        sa.Column('url', sa.String(length=500), nullable=True),
        sa.Column('verified', sa.Date(), nullable=True),
        sa.Column('origin', sa.String(length=10), nullable=False),
        sa.Column('corpus_hash', sa.String(length=64), nullable=True),
        sa.Column('deleted', sa.Boolean(), nullable=False),
        sa.Column('status', sa.String(length=10), server_default='published', nullable=False),
        sa.Column('pending', sa.JSON(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_faqs_category'), 'faqs', ['category'], unique=False)
    op.create_table('gomi_datasets',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('layout', sa.String(length=40), nullable=False),
        sa.Column('attribution', sa.Text(), nullable=False),
        sa.Column('source_url', sa.String(length=500), nullable=True),
        sa.Column('license', sa.String(length=100), nullable=True),
        sa.Column('city_code', sa.String(length=10), nullable=True),
        sa.Column('content_hash', sa.String(length=64), nullable=False),
        sa.Column('item_count', sa.Integer(), nullable=False),
        sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name')
    )
    op.create_table('inbox_decisions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('group_key', sa.String(length=300), nullable=False),
        sa.Column('action', sa.String(length=20), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('actor', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_inbox_decisions_group_key'), 'inbox_decisions', ['group_key'], unique=False)
    op.create_table('inbox_items',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('group_key', sa.String(length=300), nullable=False),
        sa.Column('reason', sa.String(length=10), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sender_hash', sa.String(length=64), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_inbox_at', 'inbox_items', ['at'], unique=False)
    op.create_index('ix_inbox_key_at', 'inbox_items', ['group_key', 'at'], unique=False)
    op.create_index('ix_inbox_sender_at', 'inbox_items', ['sender_hash', 'at'], unique=False)
    op.create_table('line_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('webhook_event_id', sa.String(length=64), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('webhook_event_id')
    )
    op.create_index(op.f('ix_line_events_received_at'), 'line_events', ['received_at'], unique=False)
    op.create_table('lookup_alerts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_lookup_alerts_started_at'), 'lookup_alerts', ['started_at'], unique=False)
    op.create_table('lookup_attempts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('sender', sa.String(length=200), nullable=False),
        sa.Column('number', sa.String(length=40), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ok', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_lookup_number_at', 'lookup_attempts', ['number', 'at'], unique=False)
    op.create_index('ix_lookup_sender_at', 'lookup_attempts', ['sender', 'at'], unique=False)
    op.create_table('lookup_throttle',
        sa.Column('key', sa.String(length=80), nullable=False),
        sa.Column('tries', sa.Integer(), nullable=False),
        sa.Column('next_at', sa.Float(), nullable=False),
        sa.Column('last_at', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('key')
    )
    op.create_table('staff_users',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('login', sa.String(length=64), nullable=False),
        sa.Column('display_name', sa.String(length=100), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('password_hash', sa.String(length=255), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('failed_logins', sa.Integer(), nullable=False),
        sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('login')
    )
    op.create_table('tickets',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('sender', sa.String(length=200), nullable=False),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('question', sa.Text(), nullable=False),
        sa.Column('transcript', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('answer', sa.Text(), nullable=True),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('year', 'seq')
    )
    op.create_index(op.f('ix_tickets_sender'), 'tickets', ['sender'], unique=False)
    op.create_table('web_outbox',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('sender', sa.String(length=200), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_web_outbox_sender'), 'web_outbox', ['sender'], unique=False)
    op.create_table('application_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=20), nullable=False),
        sa.Column('on', sa.Date(), nullable=False),
        sa.Column('status', sa.String(length=30), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['number'], ['applications.number'], ),
        sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_application_events_number'), 'application_events', ['number'], unique=False)
    op.create_table('audit_log',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('actor', sa.String(length=64), nullable=False),
        sa.Column('action', sa.String(length=50), nullable=False),
        sa.Column('target', sa.String(length=200), nullable=False),
        sa.Column('details', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['staff_users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_audit_log_action'), 'audit_log', ['action'], unique=False)
    op.create_index(op.f('ix_audit_log_at'), 'audit_log', ['at'], unique=False)
    op.create_table('gomi_items',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('dataset_id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.String(length=64), nullable=False),
        sa.Column('name', sa.String(length=300), nullable=False),
        sa.Column('category', sa.String(length=200), nullable=False),
        sa.Column('notes', sa.Text(), nullable=False),
        sa.Column('urls', sa.JSON(), nullable=False),
        sa.Column('fee_kind', sa.String(length=100), nullable=False),
        sa.Column('fee', sa.String(length=100), nullable=False),
        sa.Column('fee_note', sa.Text(), nullable=False),
        sa.Column('remarks', sa.Text(), nullable=False),
        sa.Column('small_appliance', sa.Boolean(), nullable=False),
        sa.Column('line', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['dataset_id'], ['gomi_datasets.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('dataset_id', 'item_id')
    )
    op.create_index(op.f('ix_gomi_items_dataset_id'), 'gomi_items', ['dataset_id'], unique=False)
    op.create_table('notify',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=20), nullable=False),
        sa.Column('sender', sa.String(length=200), nullable=False),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['number'], ['applications.number'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('number', 'sender', name='uq_notify_number_sender')
    )
    op.create_index(op.f('ix_notify_number'), 'notify', ['number'], unique=False)
    op.create_table('staff_sessions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('csrf_token', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['staff_users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash')
    )
    op.create_index(op.f('ix_staff_sessions_expires_at'), 'staff_sessions', ['expires_at'], unique=False)
    op.create_index(op.f('ix_staff_sessions_user_id'), 'staff_sessions', ['user_id'], unique=False)
    op.create_table('staff_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('note', sa.String(length=100), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['staff_users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash')
    )
    op.create_index(op.f('ix_staff_tokens_user_id'), 'staff_tokens', ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_table('staff_tokens')
    op.drop_table('staff_sessions')
    op.drop_table('notify')
    op.drop_table('gomi_items')
    op.drop_table('audit_log')
    op.drop_table('application_events')
    op.drop_table('web_outbox')
    op.drop_table('tickets')
    op.drop_table('staff_users')
    op.drop_table('lookup_throttle')
    op.drop_table('lookup_attempts')
    op.drop_table('lookup_alerts')
    op.drop_table('line_events')
    op.drop_table('inbox_items')
    op.drop_table('inbox_decisions')
    op.drop_table('gomi_datasets')
    op.drop_table('faqs')
    op.drop_table('faq_revisions')
    op.drop_table('faq_feedback')
    op.drop_table('conversation_events')
    op.drop_table('applications')
