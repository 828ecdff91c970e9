"""PostgreSQL: moving the event head notifies the screens that LISTEN, from the database itself.

A write used to send its own ``SELECT pg_notify(...)`` after its events, one
more round trip under the write lock. A trigger on ``event_head`` does it as
part of the head's update, for every writer, and PostgreSQL still delivers
the notification only when the transaction commits. SQLite has no
notifications (its readers poll the head): nothing changes there.
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION taboor_head_moved() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('taboor_events', NEW.last_seq::text);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""

CREATE_TRIGGER = """
CREATE TRIGGER event_head_moved
AFTER UPDATE OF last_seq ON event_head
FOR EACH ROW WHEN (NEW.last_seq IS DISTINCT FROM OLD.last_seq)
EXECUTE FUNCTION taboor_head_moved()
"""


def upgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    op.execute(CREATE_FUNCTION)
    op.execute(CREATE_TRIGGER)


def downgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS event_head_moved ON event_head")
    op.execute("DROP FUNCTION IF EXISTS taboor_head_moved()")
