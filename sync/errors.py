"""The errors of the link to the central booking API (the package docstring draws the tree)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


class SyncError(Exception):
    """Base of every error the link to the central raises on purpose.

    ``str(error)`` is one line of English that never holds a token or a CPR.
    ``exit_code`` is what ``taboor sync --once`` exits with when this stops it.
    """

    exit_code: ClassVar[int] = 4


class CentralUnreachable(SyncError):
    """Time-out, refused or dropped connection, TLS failure, or a 5xx: retry later with back-off.

    ``status`` is the HTTP status when the central answered (5xx), else ``None``.
    """

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class CentralRateLimited(SyncError):
    """The central answered 429: wait ``retry_after`` seconds before calling again."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class CentralAuthFailed(SyncError):
    """401/403, or no usable token: stop syncing, "central rejected our credentials".

    ``status`` is 401 or 403, or ``None`` when there was no usable token to send.
    """

    exit_code: ClassVar[int] = 5

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class RejectedEvent:
    """One event the central refused, and why."""

    id: str
    reason: str


class CentralRejected(SyncError):
    """422 on an event batch: nothing of it was stored; ``rejected`` names the bad events.

    Set the rejected events aside (never retry them blindly, show them to the
    supervisor) and send the rest again.
    """

    def __init__(self, message: str, rejected: tuple[RejectedEvent, ...]) -> None:
        super().__init__(message)
        self.rejected = rejected

    @property
    def rejected_ids(self) -> frozenset[str]:
        """The ids of the rejected events."""
        return frozenset(r.id for r in self.rejected)


class MalformedAnswer(SyncError):
    """An answer outside the contract: wrong types, unknown status, too big, unexpected HTTP status.

    Nothing of it is used; the caller skips it and tries again later.
    ``status`` is the HTTP status of that answer.
    """

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status
