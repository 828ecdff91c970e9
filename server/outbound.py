"""One POST to a receiver outside the centre (a webhook endpoint, the SMS gateway), and how it went.

Both the webhooks dispatcher and the SMS outbox send this way, and each
decides for itself what to do after an :class:`Attempt` that was not taken.
A description of a failure never shows the URL beyond its origin (its path
or query may hold a token) and never the body.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import httpx

#: How much of a receiver's answer is read before the connection is dropped.
MAX_ANSWER_BYTES = 64 * 1024


@dataclass(frozen=True)
class Attempt:
    """How one POST went: taken (a ``2xx``) or why not, with what the answer asked of us.

    ``status`` is the answer's HTTP status, ``None`` when there was no answer
    (a refused or dropped connection, a time-out, an unusable URL).
    ``retry_after``: the seconds a ``429`` asked for.
    """

    ok: bool
    error: str = ""
    status: int | None = None
    retry_after: float | None = None

    @property
    def gone(self) -> bool:
        """Whether the receiver answered ``410 Gone``."""
        return self.status == 410


def post(
    client: httpx.Client,
    url: str,
    body: bytes,
    headers: Mapping[str, str],
    *,
    origin: str,
) -> Attempt:
    """POST ``body`` to ``url``; how it went. Never raises for the network or the answer.

    ``origin`` (scheme, host and port of ``url``) is what an error may show.
    """
    try:
        request = client.build_request("POST", url, content=body, headers=dict(headers))
    except (httpx.InvalidURL, ValueError) as error:
        # A host name that only the HTTP client's stricter rules refuse (IDNA).
        return Attempt(ok=False, error=f"unusable URL: {_describe(error, url, origin)}")
    try:
        response = client.send(request, stream=True)
        try:
            _drain(response)
        finally:
            response.close()
    except httpx.TimeoutException as error:
        return Attempt(ok=False, error=f"timed out ({type(error).__name__})")
    except httpx.HTTPError as error:
        return Attempt(ok=False, error=_describe(error, url, origin))
    status = response.status_code
    if 200 <= status < 300:
        return Attempt(ok=True, status=status)
    reason = response.reason_phrase or ""
    return Attempt(
        ok=False,
        error=f"HTTP {status} {reason}".strip(),
        status=status,
        retry_after=_retry_after(response) if status == 429 else None,
    )


def _describe(error: Exception, url: str, origin: str) -> str:
    # The URL's path or query may hold the receiver's token: show its origin only.
    text = " ".join(str(error).split()).replace(url, origin)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _drain(response: httpx.Response) -> None:
    # Read a little of the answer (so the connection can be kept) but never a
    # flood; raw, so that a compressed answer is never inflated.
    if response.is_stream_consumed:
        return
    size = 0
    for chunk in response.iter_raw():
        size += len(chunk)
        if size > MAX_ANSWER_BYTES:
            break


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


__all__ = ["MAX_ANSWER_BYTES", "Attempt", "post"]
