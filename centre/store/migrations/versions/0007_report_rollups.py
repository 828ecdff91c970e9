"""Reports' roll-ups: each closed business day's figures, so a year's report reads little."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import centre.store.schema

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_days",
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("rolled_at", centre.store.schema.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("business_day", name=op.f("pk_report_days")),
    )
    op.create_table(
        "report_cells",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("dim", sa.String(length=8), nullable=False),
        sa.Column("value", sa.String(length=32), nullable=True),
        sa.Column("visitors", sa.Integer(), nullable=False),
        sa.Column("walk_ins", sa.Integer(), nullable=False),
        sa.Column("served", sa.Integer(), nullable=False),
        sa.Column("no_shows", sa.Integer(), nullable=False),
        sa.Column("cancelled", sa.Integer(), nullable=False),
        sa.Column("judged", sa.Integer(), nullable=False),
        sa.Column("within", sa.Integer(), nullable=False),
        sa.Column("service_n", sa.Integer(), nullable=False),
        sa.Column("service_sum", sa.Float(), nullable=False),
        sa.Column("stars", sa.String(length=64), nullable=False),
        sa.Column("waits", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_cells")),
    )
    op.create_index("ix_report_cells_dim_day", "report_cells", ["dim", "business_day"])
    op.create_table(
        "report_clerk_days",
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("staff_id", sa.String(length=16), nullable=False),
        sa.Column("desk_s", sa.Float(), nullable=False),
        sa.Column("break_s", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("business_day", "staff_id", name=op.f("pk_report_clerk_days")),
    )
    op.create_table(
        "report_booking_days",
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("service", sa.String(length=32), nullable=False),
        sa.Column("slot", sa.String(length=5), nullable=False),
        sa.Column("booked", sa.Integer(), nullable=False),
        sa.Column("checked_in", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "business_day", "service", "slot", name=op.f("pk_report_booking_days")
        ),
    )


def downgrade() -> None:
    op.drop_table("report_booking_days")
    op.drop_table("report_clerk_days")
    op.drop_index("ix_report_cells_dim_day", table_name="report_cells")
    op.drop_table("report_cells")
    op.drop_table("report_days")
