"""The centre server's errors as answers: ``{"error", "code", "params"?}`` with the right status.

Refusals of the rules are ``409`` with the refusal's own code, malformed
input ``422``, a locked sign-in or too many requests ``429`` with
``Retry-After``; a database that cannot be reached is ``503``. Nothing else
becomes a ``500``, and none carries a traceback (that goes to the log).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from centre.errors import BadInput, DeviceRefused, RateLimited, Refused, SignInLocked, TaboorError
from server import wire

log = logging.getLogger("taboor.server")


class ApiError(Exception):
    """An answer other than 2xx, with its one line and code."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str,
        *,
        retry_after: int | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.retry_after = retry_after
        self.params = params or {}


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> JSONResponse:
    """A JSON answer."""
    return JSONResponse(body, status_code=status, headers=headers)


def error_response(status: int, message: str, code: str, **params: Any) -> JSONResponse:
    """An error answer (with ``Retry-After`` for a 429)."""
    headers = None
    if status == 429:
        headers = {"Retry-After": str(max(1, int(params.get("seconds") or 1)))}
    return json_response(status, wire.error_body(message, code, params), headers)


def limit(seconds: int) -> None:
    """Refuse with 429 when a limiter says to wait."""
    if seconds > 0:
        raise ApiError(
            429, f"too many requests: try again in {seconds} s", "rate_limited", retry_after=seconds
        )


def status_of(error: TaboorError) -> int:
    """The HTTP status of one of the core's errors."""
    if isinstance(error, SignInLocked | RateLimited):
        return 429
    if isinstance(error, DeviceRefused):
        return 403
    if isinstance(error, Refused):
        return 409
    if isinstance(error, BadInput):
        return 422
    return 500


def install_error_handlers(app: FastAPI) -> None:
    """Answer every failure in the contract's error shape."""

    @app.exception_handler(ApiError)
    async def api_error(_request: Request, error: ApiError) -> JSONResponse:
        extra = {"seconds": error.retry_after} if error.retry_after else {}
        return error_response(error.status, str(error), error.code, **error.params, **extra)

    @app.exception_handler(TaboorError)
    async def refused(_request: Request, error: TaboorError) -> JSONResponse:
        return error_response(status_of(error), str(error), error.code, **error.params)

    @app.exception_handler(RequestValidationError)
    async def malformed(_request: Request, error: RequestValidationError) -> JSONResponse:
        return error_response(422, describe_invalid(error), "bad_input")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        if error.status_code == 400:
            # A body the framework cannot even decode (not UTF-8, cut short): malformed input.
            return error_response(422, "the body is not valid JSON", "bad_input")
        codes = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}
        texts = {404: "no such route", 405: "that method is not allowed here", 413: error.detail}
        message = texts.get(error.status_code, str(error.detail))
        response = error_response(error.status_code, message, codes.get(error.status_code, "error"))
        # A 405's Allow header, for one.
        response.headers.update(error.headers or {})
        if error.status_code == 405:
            response.headers["Allow"] = ", ".join(_methods_of(request))
        return response

    @app.exception_handler(DBAPIError)
    async def database(_request: Request, error: DBAPIError) -> JSONResponse:
        log.warning("database error: %s", type(error.orig).__name__ if error.orig else error)
        return error_response(503, "the centre's database cannot be reached now", "unavailable")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        log.error("%s %s failed", request.method, request.url.path, exc_info=error)
        return error_response(500, "unexpected error (details in the server's log)", "internal")


def _methods_of(request: Request) -> list[str]:
    # Every method some route takes on this path (the framework names only the first route's).
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match is not Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


def describe_invalid(error: RequestValidationError) -> str:
    """One line saying what is wrong with a request: where and what, never the input itself."""
    found = error.errors()
    first = found[0] if found else {}
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "body") or "body"
    kind = str(first.get("type", ""))
    if kind == "json_invalid":
        return "the body is not valid JSON"
    if kind == "missing":
        return f"{where}: required"
    if kind == "extra_forbidden":
        return f"{where}: unknown field"
    message = str(first.get("msg", "not valid")).removeprefix("Value error, ")
    return f"{where}: {message}"


__all__ = [
    "ApiError",
    "describe_invalid",
    "error_response",
    "install_error_handlers",
    "json_response",
    "limit",
    "status_of",
]
