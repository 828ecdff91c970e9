"""The first schema: tickets, events, appointments, counters, sync state."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import centre.store.schema

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "appointments",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column("service", sa.String(length=32), nullable=False),
        sa.Column("slot_start", centre.store.schema.UtcDateTime(), nullable=False),
        sa.Column("slot_end", centre.store.schema.UtcDateTime(), nullable=False),
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("cpr_digest", sa.String(length=64), nullable=True),
        sa.Column("cpr_last4", sa.String(length=4), nullable=True),
        sa.Column("name_ar", sa.Text(), nullable=True),
        sa.Column("name_en", sa.Text(), nullable=True),
        sa.Column("updated_at", centre.store.schema.UtcDateTime(), nullable=True),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointments")),
        sa.UniqueConstraint("reference", name=op.f("uq_appointments_reference")),
    )
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.create_index("ix_appointments_cpr", ["cpr_digest", "business_day"], unique=False)
        batch_op.create_index("ix_appointments_day", ["business_day"], unique=False)

    op.create_table(
        "counters",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("business_day", sa.Date(), nullable=True),
        sa.Column("contested_calls", sa.Integer(), nullable=False),
        sa.Column("contested_priority", sa.Integer(), nullable=False),
        sa.Column("updated_at", centre.store.schema.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_counters")),
    )
    op.create_table(
        "event_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_head")),
    )
    op.create_table(
        "events",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("at", centre.store.schema.UtcDateTime(), nullable=False),
        sa.Column("ticket_id", sa.String(length=36), nullable=True),
        sa.Column("ticket_number", sa.String(length=16), nullable=True),
        sa.Column("service", sa.String(length=32), nullable=True),
        sa.Column("appointment_id", sa.String(length=64), nullable=True),
        sa.Column("counter", sa.String(length=16), nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_events")),
        sa.UniqueConstraint("id", name=op.f("uq_events_id")),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_meta")),
    )
    op.create_table(
        "number_counters",
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("prefix", sa.String(length=4), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("business_day", "prefix", name=op.f("pk_number_counters")),
    )
    op.create_table(
        "service_days",
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("service", sa.String(length=32), nullable=False),
        sa.Column("walk_ins", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("business_day", "service", name=op.f("pk_service_days")),
    )
    op.create_table(
        "service_states",
        sa.Column("service", sa.String(length=32), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("updated_at", centre.store.schema.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("service", name=op.f("pk_service_states")),
    )
    op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("link", sa.String(length=16), nullable=False),
        sa.Column("acked_seq", sa.BigInteger(), nullable=False),
        sa.Column("cursor", sa.Text(), nullable=True),
        sa.Column("cursor_day", sa.Date(), nullable=True),
        sa.Column("last_ok", centre.store.schema.UtcDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_state")),
    )
    op.create_table(
        "tickets",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("service", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("priority", sa.String(length=16), nullable=False),
        sa.Column("is_priority", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("appointment_id", sa.String(length=64), nullable=True),
        sa.Column("issued_at", centre.store.schema.UtcDateTime(), nullable=False),
        sa.Column("arrived_at", centre.store.schema.UtcDateTime(), nullable=False),
        sa.Column("due_at", centre.store.schema.UtcDateTime(), nullable=True),
        sa.Column("counter", sa.String(length=16), nullable=True),
        sa.Column("called_at", centre.store.schema.UtcDateTime(), nullable=True),
        sa.Column("started_at", centre.store.schema.UtcDateTime(), nullable=True),
        sa.Column("finished_at", centre.store.schema.UtcDateTime(), nullable=True),
        sa.Column("recalls", sa.Integer(), nullable=False),
        sa.Column("transfers", sa.Integer(), nullable=False),
        sa.Column("arrival_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tickets")),
        sa.UniqueConstraint("appointment_id", name=op.f("uq_tickets_appointment_id")),
        sa.UniqueConstraint("business_day", "number", name=op.f("uq_tickets_business_day_number")),
    )
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.create_index("ix_tickets_counter", ["counter", "state"], unique=False)
        batch_op.create_index(
            "ix_tickets_due",
            ["business_day", "state", "service", "due_at", "arrived_at", "arrival_seq"],
            unique=False,
            sqlite_where=sa.text("due_at IS NOT NULL"),
            postgresql_where=sa.text("due_at IS NOT NULL"),
        )
        batch_op.create_index("ix_tickets_finished", ["service", "finished_at"], unique=False)
        batch_op.create_index(
            "ix_tickets_queue",
            ["business_day", "state", "service", "arrived_at", "arrival_seq"],
            unique=False,
        )
        batch_op.create_index(
            "ix_tickets_queue_class",
            ["business_day", "state", "service", "is_priority", "arrived_at", "arrival_seq"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_tickets_queue_class")
        batch_op.drop_index("ix_tickets_queue")
        batch_op.drop_index("ix_tickets_finished")
        batch_op.drop_index(
            "ix_tickets_due",
            sqlite_where=sa.text("due_at IS NOT NULL"),
            postgresql_where=sa.text("due_at IS NOT NULL"),
        )
        batch_op.drop_index("ix_tickets_counter")

    op.drop_table("tickets")
    op.drop_table("sync_state")
    op.drop_table("service_states")
    op.drop_table("service_days")
    op.drop_table("number_counters")
    op.drop_table("meta")
    op.drop_table("events")
    op.drop_table("event_head")
    op.drop_table("counters")
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.drop_index("ix_appointments_day")
        batch_op.drop_index("ix_appointments_cpr")

    op.drop_table("appointments")
