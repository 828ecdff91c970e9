"""Who is asking and what they may do: a token's device, its role, counter and supervisor."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, TypeVar
from zoneinfo import ZoneInfo

from fastapi import Depends, Path, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from centre import devices
from centre import usecases as uc
from centre.devices import EnrolledDevice
from centre.errors import (
    DeviceRefused,
    NoClerk,
    UnknownCounter,
    UnknownDevice,
    UnknownService,
    UnknownTicket,
)
from centre.local import LocalCentre
from server.errors import ApiError, limit
from server.state import CentreServer

T = TypeVar("T")


@dataclass(frozen=True)
class Caller:
    """The device behind a request, and the centre as it may use it."""

    server: CentreServer
    device: EnrolledDevice

    @property
    def zone(self) -> ZoneInfo:
        """The centre's time zone."""
        return self.server.config.centre.zone

    def centre(self) -> LocalCentre:
        """The use cases, acting as this device (its name goes on every event)."""
        return self.server.centre(self.device)

    def allow(self, *roles: str, reading: bool = False) -> None:
        """Refuse (403) unless the device has one of ``roles``; a supervisor device must
        have a supervisor signed in on it, unless it is only ``reading`` what a hall
        screen shows anyway (the queues, the log)."""
        role = self.device.role
        if role not in roles:
            raise ApiError(403, f"a {role} device may not do that", "forbidden")
        if role == devices.SUPERVISOR and not reading:
            server = self.server
            fresh = devices.device_named(server.store, self.device.name)
            if (
                fresh is None
                or fresh.supervisor_signed_in(server.config, server.clock.now()) is None
            ):
                raise ApiError(403, "a supervisor must sign in on this device first", "forbidden")

    def counter(self, counter_id: str, *, clerk: bool = True) -> str:
        """The counter in the path, if this device may act on it.

        A counter device acts on its own counter only, and (``clerk``) only
        while a clerk is signed in there; a supervisor device on any.
        """
        config = self.server.config
        try:
            counter = uc.resolve_counter(config, counter_id).id
        except UnknownCounter as error:
            raise ApiError(404, str(error), error.code, params=error.params) from None
        if self.device.role == devices.COUNTER:
            if self.device.counter != counter:
                raise ApiError(
                    403, f"this device is for counter {self.device.counter}", "forbidden"
                )
            if clerk:
                with self.server.store.read() as repo:
                    signed_in = repo.counter_status(counter).staff_id
                if signed_in is None:
                    raise NoClerk(f"no clerk is signed in at counter {counter}", counter=counter)
        else:
            self.allow(devices.SUPERVISOR)
        return counter


def in_path(call: Callable[[], T]) -> T:
    """``call()``, with an unknown ticket, service or device named in the path answered 404."""
    try:
        return call()
    except (UnknownTicket, UnknownService, UnknownDevice) as error:
        raise ApiError(404, str(error), error.code, params=error.params) from None


async def known_query(request: Request) -> None:
    """Refuse (422) a query parameter the route does not take: a typo (``?sinse=``) is
    said, not silently ignored."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not request.query_params:
        return
    taken = _query_names(route)
    unknown = sorted(set(request.query_params) - taken)
    if unknown:
        raise ApiError(422, f"query: unknown parameter {unknown[0][:40]!r}", "bad_input")


def _query_names(route: APIRoute) -> frozenset[str]:
    known = _QUERY_NAMES.get(id(route))
    if known is not None:
        return known
    names: set[str] = set()
    pending: list[Dependant] = [route.dependant]
    while pending:
        dependant = pending.pop()
        names.update(param.alias for param in dependant.query_params)
        pending.extend(dependant.dependencies)
    known = _QUERY_NAMES[id(route)] = frozenset(names)
    return known


# The query parameters of each route, found once (routes live as long as the application).
_QUERY_NAMES: dict[int, frozenset[str]] = {}


def the_server(request: Request) -> CentreServer:
    """The server a request reached."""
    server: CentreServer = request.app.state.server
    return server


#: Bearer tokens, as the OpenAPI document declares them (checked by :func:`caller_of`).
bearer = HTTPBearer(auto_error=False, description="A device token from `taboor device add`.")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


async def caller_of(request: Request, credentials: Credentials) -> Caller:
    """The device whose token the request carries (401 without a valid one, 429 when flooding).

    On the event loop: a token read lately, from a device seen lately, costs no
    trip to a worker thread; the store is read (or ``last_seen`` written) in one.
    """
    server = the_server(request)
    address = request.client.host if request.client else None
    token = credentials.credentials.strip() if credentials is not None else ""
    if not token:
        limit(server.requests.wait_for(f"address:{address}"))
        raise ApiError(401, "no device token", "unauthorized")
    device = server.remembered(token)
    if device is None:
        try:
            device = await run_in_threadpool(server.authenticate, token)
        except DeviceRefused as error:
            limit(server.requests.wait_for(f"address:{address}"))
            raise ApiError(401, str(error), "unauthorized") from None
    request.scope.setdefault("state", {})["device"] = device.name
    limit(server.requests.wait_for(f"device:{device.name}"))
    if not server.seen_lately(device):
        await run_in_threadpool(server.seen, device, address)
    return Caller(server, device)


AllowedCheck = Callable[[Request, HTTPAuthorizationCredentials | None], Awaitable[Caller]]


def allowed(*roles: str, reading: bool = False) -> AllowedCheck:
    """A dependency: the calling device, refused (403) unless it has one of ``roles``
    (see :meth:`Caller.allow` for ``reading``).

    As a dependency it is checked before the body is read, so a device is told
    it may not do something before it is told its body is wrong.
    """

    async def check(request: Request, credentials: Credentials) -> Caller:
        caller = await caller_of(request, credentials)
        if caller.device.role == devices.SUPERVISOR and not reading:
            await run_in_threadpool(caller.allow, *roles)  # reads the supervisor's session
        else:
            caller.allow(*roles, reading=reading)
        return caller

    return check


@dataclass(frozen=True)
class AtCounter:
    """A device acting on the counter in the path, which it may act on."""

    caller: Caller
    counter: str


CounterId = Annotated[str, Path(min_length=1, max_length=16)]


async def acting_at(request: Request, credentials: Credentials, counter: CounterId) -> AtCounter:
    """A dependency: a counter device on its own counter with a clerk signed in, or a
    supervisor's device."""
    caller = await caller_of(request, credentials)
    return AtCounter(caller, await run_in_threadpool(caller.counter, counter))


async def managing(request: Request, credentials: Credentials, counter: CounterId) -> AtCounter:
    """A dependency: a counter device on its own counter, clerk or not, or a supervisor's."""
    caller = await caller_of(request, credentials)
    return AtCounter(caller, await run_in_threadpool(caller.counter, counter, clerk=False))


#: A route's parameter: the calling device.
Calling = Annotated[Caller, Depends(caller_of)]
#: Route parameters: the calling device, of one of these roles.
Kiosk = Annotated[Caller, Depends(allowed(devices.KIOSK))]
KioskOrSupervisor = Annotated[Caller, Depends(allowed(devices.KIOSK, devices.SUPERVISOR))]
CounterOrSupervisor = Annotated[Caller, Depends(allowed(devices.COUNTER, devices.SUPERVISOR))]
Supervisor = Annotated[Caller, Depends(allowed(devices.SUPERVISOR))]
Reader = Annotated[Caller, Depends(allowed(devices.SUPERVISOR, devices.INTEGRATOR))]
#: Who may read the log and follow the stream.
FOLLOWERS = (devices.HALL, devices.COUNTER, devices.SUPERVISOR, devices.INTEGRATOR)
Follower = Annotated[Caller, Depends(allowed(*FOLLOWERS, reading=True))]
#: A route's parameter: a device acting on the counter in the path (a clerk signed in there).
Acting = Annotated[AtCounter, Depends(acting_at)]
#: A route's parameter: a device signing in or out at the counter in the path.
Managing = Annotated[AtCounter, Depends(managing)]
#: A route's parameter: the server itself (routes that need no token).
Serving = Annotated[CentreServer, Depends(the_server)]

__all__ = [
    "FOLLOWERS",
    "Acting",
    "AtCounter",
    "Caller",
    "Calling",
    "CounterId",
    "CounterOrSupervisor",
    "Follower",
    "Kiosk",
    "KioskOrSupervisor",
    "Managing",
    "Reader",
    "Serving",
    "Supervisor",
    "allowed",
    "caller_of",
    "in_path",
    "known_query",
    "the_server",
]
