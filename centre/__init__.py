"""The centre core: domain, rules, use cases and store of a Taboor service centre.

Exceptions (all in :mod:`centre.errors`)::

    TaboorError                 anything Taboor refuses or fails at on purpose
     ├── BadInput               malformed input: exit 2
     │    ├── InvalidCpr
     │    ├── InvalidQr
     │    ├── UnknownService
     │    ├── UnknownCounter
     │    ├── UnknownTicket
     │    └── ConfigError
     └── Refused                well-formed, but the rules say no: exit 3
          ├── NoAppointment, WrongDay, OutsideWindow, AlreadyCheckedIn,
          │   AppointmentCancelled, SeveralAppointments
          ├── ServicePaused, QuotaReached
          └── NoCurrentTicket, CounterBusy, IllegalTransition, TicketMoved
"""
