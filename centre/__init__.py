"""The centre core: domain, rules, use cases and store of a Taboor service centre.

Exceptions (all in :mod:`centre.errors`)::

    TaboorError                 anything Taboor refuses or fails at on purpose
     ├── CentreUnreachable      (a device) the centre server cannot be reached now
     ├── DeviceRefused          (a device) the centre server does not accept this device
     ├── BadInput               malformed input: exit 2
     │    ├── InvalidCpr
     │    ├── InvalidQr
     │    ├── UnknownService
     │    ├── UnknownCounter
     │    ├── UnknownTicket, UnknownStaff, InvalidPin
     │    └── ConfigError
     └── Refused                well-formed, but the rules say no: exit 3
          ├── NoAppointment, WrongDay, OutsideWindow, AlreadyCheckedIn,
          │   AppointmentCancelled, SeveralAppointments
          ├── ServicePaused, QuotaReached
          ├── NoCurrentTicket, CounterBusy, IllegalTransition, TicketMoved, NoClerk
          └── WrongPin, SignInLocked, NotAllowed, NotServed, AlreadyRated,
              CounterNotOpen, RateLimited
"""
