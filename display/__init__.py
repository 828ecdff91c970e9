"""The centre's screens and what hangs over the counters, following the event log.

Each screen is a package with its view-model and its window apart:
:mod:`display.hall` (with its spoken announcements, :mod:`display.announcer`),
:mod:`display.terminal` (the counter terminal), :mod:`display.counter_screen`
and :mod:`display.supervisor`; :mod:`display.app` starts them. They reach
the centre through :class:`centre.port.CentrePort` alone, in process or over
HTTP, and never hold a store. The serial LED boards over the counters are the
Qt-free :mod:`ledboard` package.

The screens raise no exceptions of their own: the shared Qt layer's
(:mod:`ui`, e.g. :class:`ui.errors.UnsupportedQt`) and the centre's rules'
(:class:`centre.errors.TaboorError`) are theirs. A rule's refusal reaches the
clerk as one translated line (:func:`display.refusals.explain`), never as an
exception: among them :class:`centre.errors.TicketMoved`, when another
terminal moved the ticket on, :class:`centre.errors.CentreUnreachable`, when
the centre server cannot be reached (the screen keeps what it shows and says
it is offline), and :class:`centre.errors.DeviceRefused`.
"""
