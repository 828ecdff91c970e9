"""Staff sign-in and breaks, counters' services, visitors' ratings, device states."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import centre.store.schema

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("ix_events_type_at", ["type", "at"], unique=False)
    with op.batch_alter_table("counters", schema=None) as batch_op:
        batch_op.add_column(sa.Column("staff_id", sa.String(length=16), nullable=True))
        batch_op.add_column(
            sa.Column("on_break", sa.Boolean(), server_default=sa.text("false"), nullable=False)
        )
        batch_op.add_column(
            sa.Column("break_since", centre.store.schema.UtcDateTime(), nullable=True)
        )
        batch_op.add_column(sa.Column("services", sa.Text(), nullable=True))

    op.create_table(
        "staff",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("name_ar", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("pin_hash", sa.Text(), nullable=False),
        sa.Column("failed_tries", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("locked_until", centre.store.schema.UtcDateTime(), nullable=True),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("updated_at", centre.store.schema.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
    )
    op.create_table(
        "feedback",
        sa.Column("ticket_id", sa.String(length=36), nullable=False),
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("service", sa.String(length=32), nullable=False),
        sa.Column("counter", sa.String(length=16), nullable=True),
        sa.Column("staff_id", sa.String(length=16), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("at", centre.store.schema.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("ticket_id", name=op.f("pk_feedback")),
    )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index("ix_feedback_day", ["business_day"], unique=False)
    op.create_table(
        "devices",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("at", centre.store.schema.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_devices")),
    )


def downgrade() -> None:
    op.drop_table("devices")
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index("ix_feedback_day")
    op.drop_table("feedback")
    op.drop_table("staff")
    with op.batch_alter_table("counters", schema=None) as batch_op:
        batch_op.drop_column("services")
        batch_op.drop_column("break_since")
        batch_op.drop_column("on_break")
        batch_op.drop_column("staff_id")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_type_at")
