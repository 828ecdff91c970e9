"""The centre server: the one process of a multi-device centre that holds the database.

Kiosks, counter terminals, hall and counter screens, the supervisor's screen,
LED-board keepers, browsers and integrators reach the centre through its HTTP
API (CONTRACTS.md section 6) with a device token; none holds database
credentials.

- :mod:`server.app`: the ASGI application (routes, roles, errors, limits);
- :mod:`server.hub`: one tail of the event log fanned out to every stream;
- :mod:`server.client`: the HTTP adapter of :class:`centre.port.CentrePort`,
  what every device runs (it never loads the ASGI stack);
- :mod:`server.wire`: the JSON of the core's values, shared by both ends.
"""
