"""The visitor's phone: more time, leaving the queue, paperless tickets and texts."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import centre.store.schema

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(
            sa.Column("deferrals", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )
        batch.add_column(
            sa.Column("left_queue", sa.Boolean(), server_default=sa.text("false"), nullable=False)
        )
        batch.add_column(sa.Column("phone_key", sa.String(length=64), nullable=True))
        batch.create_index("ix_tickets_phone", ["phone_key", "service"])
    op.create_table(
        "ticket_contacts",
        sa.Column("ticket_id", sa.String(length=36), nullable=False),
        sa.Column("phone", sa.String(length=16), nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("near_sent", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("called_sent", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("at", centre.store.schema.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("ticket_id", name=op.f("pk_ticket_contacts")),
    )


def downgrade() -> None:
    op.drop_table("ticket_contacts")
    with op.batch_alter_table("tickets") as batch:
        batch.drop_index("ix_tickets_phone")
        batch.drop_column("phone_key")
        batch.drop_column("left_queue")
        batch.drop_column("deferrals")
