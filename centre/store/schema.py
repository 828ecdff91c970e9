"""Tables of the centre's database (SQLAlchemy Core); migrations in ``migrations/`` mirror them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)


class UtcDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as naive UTC, so SQLite and PostgreSQL sort and compare alike."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # pragma: no cover - SQLite returns str only on raw SQL
            value = datetime.fromisoformat(value)
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

event_head = Table(
    "event_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("last_seq", BigInteger, nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("id", String(36), nullable=False, unique=True),
    Column("type", String(32), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("ticket_id", String(36)),
    Column("ticket_number", String(16)),
    Column("service", String(32)),
    Column("appointment_id", String(64)),
    Column("counter", String(16)),
    Column("data", Text, nullable=False),
    # The supervisor's alerts (rare kinds of event) of a day.
    Index("ix_events_type_at", "type", "at"),
)

tickets = Table(
    "tickets",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("business_day", Date, nullable=False),
    Column("number", String(16), nullable=False),
    Column("service", String(32), nullable=False),
    Column("source", String(16), nullable=False),
    Column("priority", String(16), nullable=False),
    Column("is_priority", Boolean, nullable=False),
    Column("state", String(16), nullable=False),
    Column("lang", String(2), nullable=False),
    Column("appointment_id", String(64), unique=True),
    Column("issued_at", UtcDateTime, nullable=False),
    Column("arrived_at", UtcDateTime, nullable=False),
    Column("due_at", UtcDateTime),
    Column("counter", String(16)),
    Column("called_at", UtcDateTime),
    Column("started_at", UtcDateTime),
    Column("finished_at", UtcDateTime),
    Column("recalls", Integer, nullable=False),
    Column("transfers", Integer, nullable=False),
    Column("arrival_seq", BigInteger, nullable=False),
    # "I need more time" from the visitor's phone: how often it moved the ticket back.
    Column("deferrals", Integer, nullable=False, server_default=text("0")),
    # Cancelled because the visitor left the queue from the phone (not a no-show).
    Column("left_queue", Boolean, nullable=False, server_default=text("false")),
    # A keyed digest of the phone that took the ticket (paperless), for one per phone.
    Column("phone_key", String(64)),
    UniqueConstraint("business_day", "number"),
    # The heads of each queue come straight off these indexes (no scans, no sorts).
    Index("ix_tickets_queue", "business_day", "state", "service", "arrived_at", "arrival_seq"),
    Index(
        "ix_tickets_queue_class",
        "business_day",
        "state",
        "service",
        "is_priority",
        "arrived_at",
        "arrival_seq",
    ),
    # Only appointment tickets have a due time: a partial index keeps the
    # "oldest due" seek off the walk-ins, whatever the planner's statistics say.
    Index(
        "ix_tickets_due",
        "business_day",
        "state",
        "service",
        "due_at",
        "arrived_at",
        "arrival_seq",
        sqlite_where=text("due_at IS NOT NULL"),
        postgresql_where=text("due_at IS NOT NULL"),
    ),
    Index("ix_tickets_counter", "counter", "state"),
    Index("ix_tickets_phone", "phone_key", "service"),
    Index("ix_tickets_finished", "service", "finished_at"),
)

number_counters = Table(
    "number_counters",
    metadata,
    Column("business_day", Date, primary_key=True),
    Column("prefix", String(4), primary_key=True),
    Column("last", Integer, nullable=False),
)

service_days = Table(
    "service_days",
    metadata,
    Column("business_day", Date, primary_key=True),
    Column("service", String(32), primary_key=True),
    Column("walk_ins", Integer, nullable=False),
)

service_states = Table(
    "service_states",
    metadata,
    Column("service", String(32), primary_key=True),
    Column("paused", Boolean, nullable=False),
    Column("reason", Text),
    Column("updated_at", UtcDateTime, nullable=False),
)

counters = Table(
    "counters",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("is_open", Boolean, nullable=False),
    Column("business_day", Date),
    Column("contested_calls", Integer, nullable=False),
    Column("contested_priority", Integer, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("staff_id", String(16)),
    Column("on_break", Boolean, nullable=False, server_default=text("false")),
    Column("break_since", UtcDateTime),
    # JSON list of service codes the supervisor set; NULL: the configured ones.
    Column("services", Text),
)

appointments = Table(
    "appointments",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("reference", String(32), nullable=False, unique=True),
    Column("service", String(32), nullable=False),
    Column("slot_start", UtcDateTime, nullable=False),
    Column("slot_end", UtcDateTime, nullable=False),
    Column("business_day", Date, nullable=False),
    Column("status", String(16), nullable=False),
    # The CPR itself is never stored: a keyed digest finds the booking and the
    # last four digits let a screen show the masked form.
    Column("cpr_digest", String(64)),
    Column("cpr_last4", String(4)),
    Column("name_ar", Text),
    Column("name_en", Text),
    Column("updated_at", UtcDateTime),
    Column("origin", String(16), nullable=False),
    Index("ix_appointments_cpr", "cpr_digest", "business_day"),
    Index("ix_appointments_day", "business_day"),
)

sync_state = Table(
    "sync_state",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("link", String(16), nullable=False),
    Column("acked_seq", BigInteger, nullable=False),
    Column("cursor", Text),
    Column("cursor_day", Date),
    Column("last_ok", UtcDateTime),
    Column("last_error", Text),
)

# Events the central refused (422): set aside, never resent blindly, shown to
# the supervisor. The sync agent moves acked_seq past one only once it is here.
rejected_events = Table(
    "rejected_events",
    metadata,
    Column("event_id", String(36), primary_key=True),
    Column("seq", BigInteger, nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Index("ix_rejected_events_seq", "seq"),
)

# Tickets given offline to a CPR whose booking the centre did not have: the
# counter verifies the booking. The CPR digest is erased with the day.
unverified_checkins = Table(
    "unverified_checkins",
    metadata,
    Column("ticket_id", String(36), primary_key=True),
    Column("business_day", Date, nullable=False),
    Column("service", String(32), nullable=False),
    Column("cpr_digest", String(64)),
    Column("at", UtcDateTime, nullable=False),
    Index("ix_unverified_checkins_cpr", "cpr_digest", "business_day"),
)

# Clerks and supervisors. The PIN is kept only as a salted scrypt hash; failed
# tries count up and lock sign-in for a while.
staff = Table(
    "staff",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("name_ar", Text, nullable=False),
    Column("name_en", Text, nullable=False),
    Column("role", String(16), nullable=False),
    Column("pin_hash", Text, nullable=False),
    Column("failed_tries", Integer, nullable=False, server_default=text("0")),
    Column("locked_until", UtcDateTime),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    Column("updated_at", UtcDateTime, nullable=False),
)

# Visitors' ratings of a served ticket, one per ticket.
feedback = Table(
    "feedback",
    metadata,
    Column("ticket_id", String(36), primary_key=True),
    Column("business_day", Date, nullable=False),
    Column("service", String(32), nullable=False),
    Column("counter", String(16)),
    Column("staff_id", String(16)),
    Column("rating", Integer, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Index("ix_feedback_day", "business_day"),
)

# The last reported state of each device (a kiosk's printer), for the supervisor.
devices = Table(
    "devices",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("state", String(16), nullable=False),
    Column("detail", Text),
    Column("at", UtcDateTime, nullable=False),
)

# Devices enrolled with the centre server: each holds a token of its role (the
# server keeps only its SHA-256), or a one-time pairing code until a browser
# display spends it. A supervisor signs in on their device; the server checks it.
enrolled_devices = Table(
    "enrolled_devices",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("counter", String(16)),
    Column("token_hash", String(64), unique=True),
    Column("pairing_hash", String(64), unique=True),
    Column("pairing_expires", UtcDateTime),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime),
    Column("last_seen", UtcDateTime),
    Column("last_address", String(64)),
    Column("supervisor", String(16)),
    Column("supervisor_since", UtcDateTime),
)

# Integrators' endpoints: each matching event is POSTed, signed with the
# endpoint's secret, in seq order from ``delivered_seq``, at least once.
webhooks = Table(
    "webhooks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", Text, nullable=False),
    Column("events", Text, nullable=False),
    Column("secret", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("delivered_seq", BigInteger, nullable=False),
    Column("failures", Integer, nullable=False, server_default=text("0")),
    Column("last_ok", UtcDateTime),
    Column("last_error", Text),
    Column("last_error_at", UtcDateTime),
)

# A visitor's mobile number for texts about one ticket: kept only until the
# ticket ends (the row goes with it), never logged, synced or shown.
ticket_contacts = Table(
    "ticket_contacts",
    metadata,
    Column("ticket_id", String(36), primary_key=True),
    Column("phone", String(16), nullable=False),
    Column("lang", String(2), nullable=False),
    Column("near_sent", Boolean, nullable=False, server_default=text("false")),
    Column("called_sent", Integer, nullable=False, server_default=text("0")),
    Column("at", UtcDateTime, nullable=False),
)

# Reports' roll-ups, written as each business day closes (``centre.reports``):
# a closed day's figures are read from here, not from its tickets and events.
report_days = Table(
    "report_days",
    metadata,
    Column("business_day", Date, primary_key=True),
    Column("rolled_at", UtcDateTime, nullable=False),
)

# A day's cells, one per value of each dimension (``centre.reports.core.CellKey``):
# additive counts, and the cell's waits (float64 seconds).
report_cells = Table(
    "report_cells",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("business_day", Date, nullable=False),
    Column("dim", String(8), nullable=False),
    Column("value", String(32)),
    Column("visitors", Integer, nullable=False),
    Column("walk_ins", Integer, nullable=False),
    Column("served", Integer, nullable=False),
    Column("no_shows", Integer, nullable=False),
    Column("cancelled", Integer, nullable=False),
    Column("judged", Integer, nullable=False),
    Column("within", Integer, nullable=False),
    Column("service_n", Integer, nullable=False),
    Column("service_sum", Float, nullable=False),
    Column("stars", String(64), nullable=False),
    Column("waits", LargeBinary, nullable=False),
    Index("ix_report_cells_dim_day", "dim", "business_day"),
)

# Each clerk's day: seconds signed in at a counter, and of those, on a break.
report_clerk_days = Table(
    "report_clerk_days",
    metadata,
    Column("business_day", Date, primary_key=True),
    Column("staff_id", String(16), primary_key=True),
    Column("desk_s", Float, nullable=False),
    Column("break_s", Float, nullable=False),
)

# Bookings of a closed day by service and slot: booked, and checked in.
report_booking_days = Table(
    "report_booking_days",
    metadata,
    Column("business_day", Date, primary_key=True),
    Column("service", String(32), primary_key=True),
    Column("slot", String(5), primary_key=True),
    Column("booked", Integer, nullable=False),
    Column("checked_in", Integer, nullable=False),
)
