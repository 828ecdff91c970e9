"""What the kiosk tells a visitor when the centre says no: one translated sentence per refusal."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication

from centre.config import CentreConfig
from centre.errors import TaboorError
from ui.i18n import fill, isolate


def service_name(config: CentreConfig, code: str, lang: str) -> str:
    """A service's name in ``lang`` (the code itself for a service this centre lacks)."""
    for service in config.services:
        if service.code == code:
            return service.name.ar if lang == "ar" else service.name.en
    return code


def describe(error: Exception, config: CentreConfig, lang: str) -> str:
    """One sentence for the visitor, in the language installed now, saying why and what next."""
    del config, lang  # the installed catalogue decides the language
    translate = QCoreApplication.translate
    generic = translate("KioskMessages", "Something went wrong. Please ask at the reception desk.")
    if not isinstance(error, TaboorError):
        return generic
    params = error.params
    code = error.code
    if code == "outside_window" and params.get("when") == "early":
        return fill(
            translate("KioskMessages", "You are early: check-in for your appointment opens at %1."),
            isolate(_clock_time(str(params.get("opens_at", "")))),
        )
    sentences = {
        "outside_window": translate(
            "KioskMessages",
            "Your appointment time has passed: you can take a walk-in ticket for the same service.",
        ),
        "wrong_day": fill(
            translate("KioskMessages", "Your appointment is on %1, not today."),
            isolate(str(params.get("date", ""))),
        ),
        "already_checked_in": fill(
            translate("KioskMessages", "You have already checked in: your ticket is %1."),
            isolate(str(params.get("number", ""))),
        ),
        "appointment_cancelled": translate(
            "KioskMessages", "This appointment was cancelled. You can take a walk-in ticket."
        ),
        "no_appointment": translate(
            "KioskMessages",
            "We found no appointment for you here today. You can take a walk-in ticket.",
        ),
        "service_paused": translate(
            "KioskMessages", "This service is paused for now. Please ask at the reception desk."
        ),
        "quota_reached": translate(
            "KioskMessages", "This service has given all its tickets for today."
        ),
        "invalid_cpr": translate("KioskMessages", "A CPR number has 9 digits. Please check it."),
        "invalid_qr": translate(
            "KioskMessages", "This code is not a booking. Please scan your booking QR."
        ),
        "several_appointments": translate(
            "KioskMessages", "You have several appointments: please choose one."
        ),
        # Nothing was issued: the visitor is sent where a person can help.
        "centre_unreachable": translate(
            "KioskMessages",
            "The ticket system cannot be reached right now: please ask at the reception desk.",
        ),
        "device_refused": translate(
            "KioskMessages", "This kiosk is out of service: please ask at the reception desk."
        ),
    }
    return sentences.get(code, generic)


def offers_walk_in(error: Exception) -> bool:
    """Whether the rules let a visitor refused this way take a walk-in ticket instead."""
    if not isinstance(error, TaboorError):
        return False
    if error.code == "outside_window":
        return error.params.get("when") == "late"
    return error.code in ("no_appointment", "appointment_cancelled")


def _clock_time(text: str) -> str:
    try:
        return f"{datetime.fromisoformat(text):%H:%M}"
    except ValueError:
        return text


__all__ = ["describe", "offers_walk_in", "service_name"]
