"""The centre's screens and what hangs over the counters, following the event log.

The hall screen (with its spoken announcements), the counter terminal, the
counter screen and the supervisor's screen. The serial LED boards over the
counters are the Qt-free :mod:`ledboard` package.

The screens raise no exceptions of their own: the shared Qt layer's
(:mod:`ui`, e.g. :class:`ui.errors.UnsupportedQt`) and the centre's rules'
(:class:`centre.errors.TaboorError`) are theirs. A rule's refusal reaches the
clerk as one translated line, never as an exception (among them
:class:`centre.errors.TicketMoved`, when another terminal moved the ticket on).
"""
