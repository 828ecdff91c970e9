"""The centre's screens: hall screen, counter terminal and counter screen, following the event log.

The screens raise no exceptions of their own: the shared Qt layer's
(:mod:`ui`, e.g. :class:`ui.errors.UnsupportedQt`) and the centre's rules'
(:class:`centre.errors.TaboorError`) are theirs. A rule's refusal reaches the
clerk as one translated line, never as an exception (among them
:class:`centre.errors.TicketMoved`, when another terminal moved the ticket on).
"""
