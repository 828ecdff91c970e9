"""Sync: events the central rejected, tickets given offline for the counter to verify."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import centre.store.schema

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rejected_events",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", centre.store.schema.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_rejected_events")),
    )
    with op.batch_alter_table("rejected_events", schema=None) as batch_op:
        batch_op.create_index("ix_rejected_events_seq", ["seq"], unique=False)

    op.create_table(
        "unverified_checkins",
        sa.Column("ticket_id", sa.String(length=36), nullable=False),
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("service", sa.String(length=32), nullable=False),
        sa.Column("cpr_digest", sa.String(length=64), nullable=True),
        sa.Column("at", centre.store.schema.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("ticket_id", name=op.f("pk_unverified_checkins")),
    )
    with op.batch_alter_table("unverified_checkins", schema=None) as batch_op:
        batch_op.create_index(
            "ix_unverified_checkins_cpr", ["cpr_digest", "business_day"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("unverified_checkins", schema=None) as batch_op:
        batch_op.drop_index("ix_unverified_checkins_cpr")

    op.drop_table("unverified_checkins")
    with op.batch_alter_table("rejected_events", schema=None) as batch_op:
        batch_op.drop_index("ix_rejected_events_seq")

    op.drop_table("rejected_events")
