"""The centre server: enrolled devices with hashed tokens, and integrators' webhooks."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import centre.store.schema

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "enrolled_devices",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("counter", sa.String(length=16), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("pairing_hash", sa.String(length=64), nullable=True),
        sa.Column("pairing_expires", centre.store.schema.UtcDateTime(), nullable=True),
        sa.Column("created_at", centre.store.schema.UtcDateTime(), nullable=False),
        sa.Column("revoked_at", centre.store.schema.UtcDateTime(), nullable=True),
        sa.Column("last_seen", centre.store.schema.UtcDateTime(), nullable=True),
        sa.Column("last_address", sa.String(length=64), nullable=True),
        sa.Column("supervisor", sa.String(length=16), nullable=True),
        sa.Column("supervisor_since", centre.store.schema.UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_enrolled_devices")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_enrolled_devices_token_hash")),
        sa.UniqueConstraint("pairing_hash", name=op.f("uq_enrolled_devices_pairing_hash")),
    )
    op.create_table(
        "webhooks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("events", sa.Text(), nullable=False),
        sa.Column("secret", sa.Text(), nullable=False),
        sa.Column("created_at", centre.store.schema.UtcDateTime(), nullable=False),
        sa.Column("delivered_seq", sa.BigInteger(), nullable=False),
        sa.Column("failures", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_ok", centre.store.schema.UtcDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_error_at", centre.store.schema.UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhooks")),
    )


def downgrade() -> None:
    op.drop_table("webhooks")
    op.drop_table("enrolled_devices")
