"""The visitor kiosk: check-in by QR or CPR, walk-in tickets, printing, scanners.

Entry point: :func:`kiosk.app.run_kiosk` (``build_kiosk`` wires the same parts
without running the event loop). The kiosk reaches the centre only through a
:class:`centre.port.CentrePort`; what the centre raises (its rules' refusals,
:class:`centre.errors.CentreUnreachable`, :class:`centre.errors.DeviceRefused`)
reaches the visitor as one translated sentence (:mod:`kiosk.messages`).
Exceptions of its own (all in :mod:`kiosk.scanner` for now)::

    KioskError
     └── BadScannerUri      a ``[scanner]`` setting that names no usable scanner

:class:`ui.errors.UnsupportedQt` stops the kiosk from starting on a PySide6
that would abort it.
"""
