"""The visitor kiosk: check-in by QR or CPR, walk-in tickets, scanners.

Exceptions (all in :mod:`kiosk.scanner` for now)::

    KioskError
     └── BadScannerUri      a ``[scanner]`` setting that names no usable scanner
"""
