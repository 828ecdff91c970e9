"""Why a clerk's or a supervisor's action did not happen, in one line of their language.

The centre refuses with a :class:`centre.errors.TaboorError` whose ``code``
names the reason (its English message is for logs); :func:`explain` turns it
into the line the staff screens show. The kiosk speaks to visitors and has
wording of its own (:mod:`kiosk.messages`).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication

from centre.config import CentreConfig
from centre.errors import BadInput, Refused, TaboorError
from centre.usecases import HALL_MESSAGE_MAX
from display.views import service_label
from ui.i18n import fill, isolate

log = logging.getLogger(__name__)

# The catalogue's context of these lines (lupdate wants it spelt out in each call).
CONTEXT = "Refusals"


def explain(error: Exception, config: CentreConfig, lang: str, *, where: str) -> str:
    """One line in ``lang`` saying why an action failed with ``error``.

    ``where`` names the screen for the log, where an error the centre did not
    mean (a bug, a database gone) is written in full.
    """
    if isinstance(error, TaboorError):
        return _explain_refusal(error, config, lang)
    translate = QCoreApplication.translate
    log.error("%s: an action failed", where, exc_info=error)
    return translate("Refusals", "The centre's database cannot be reached. Try again in a moment.")


def _explain_refusal(error: TaboorError, config: CentreConfig, lang: str) -> str:
    translate = QCoreApplication.translate
    params = error.params
    code = error.code
    seconds = params.get("seconds")
    number = str(params.get("number", ""))
    if code == "illegal_transition":
        return _explain_transition(number, str(params.get("action", "")))
    # The special cases: a ticket another terminal called here (none was seen),
    # a wrong PIN that starts a wait, a hall message too long in one language.
    if code == "ticket_moved" and params.get("acted_on") is None:
        code = "ticket_called_here"
    elif code == "wrong_pin" and seconds:
        code = "wrong_pin_wait"
    elif code == "bad_input" and params.get("lang") in ("ar", "en"):
        code = f"too_long_{params['lang']}"
    texts = {
        "centre_unreachable": translate(
            "Refusals", "The centre cannot be reached. Try again in a moment."
        ),
        "device_refused": translate(
            "Refusals", "This device is no longer allowed to connect to the centre."
        ),
        "ticket_called_here": translate(
            "Refusals", "Another terminal has just called a ticket here."
        ),
        "ticket_moved": fill(
            translate("Refusals", "Ticket %1 was already dealt with at another terminal."),
            str(params.get("acted_on", "")),
        ),
        "wrong_pin": translate("Refusals", "Wrong staff id or PIN."),
        "wrong_pin_wait": fill(
            translate("Refusals", "Wrong staff id or PIN. Wait %1 seconds before trying again."),
            seconds,
        ),
        "sign_in_locked": fill(
            translate("Refusals", "Too many wrong PINs. Try again in %1 seconds."), seconds or 0
        ),
        "rate_limited": fill(
            translate("Refusals", "Too many tries from this device. Try again in %1 seconds."),
            seconds or 0,
        ),
        "not_allowed": translate("Refusals", "Only a supervisor can sign in here."),
        "invalid_pin": translate("Refusals", "A PIN is 4 to 8 digits."),
        "no_current_ticket": translate("Refusals", "There is no ticket at this counter now."),
        "counter_busy": fill(
            translate("Refusals", "Finish ticket %1 first: done, no-show or transfer."), number
        ),
        "service_paused": fill(
            translate("Refusals", "%1 is paused: it takes no tickets now."),
            service_label(config, str(params.get("service", "")), lang),
        ),
        "counter_not_open": translate(
            "Refusals", "Open the counter first: a break is taken from an open counter."
        ),
        "too_long_ar": fill(
            translate("Refusals", "The Arabic message is too long: at most %1 characters."),
            HALL_MESSAGE_MAX,
        ),
        "too_long_en": fill(
            translate("Refusals", "The English message is too long: at most %1 characters."),
            HALL_MESSAGE_MAX,
        ),
        "unknown_ticket": fill(
            translate("Refusals", "There is no ticket %1 today."),
            str(params.get("ticket", "")).strip().upper(),
        ),
        "unknown_service": translate("Refusals", "There is no such service here."),
        "unknown_counter": fill(
            translate("Refusals", "There is no counter %1 here."), str(params.get("counter", ""))
        ),
        "unknown_device": fill(
            translate("Refusals", "There is no device %1 here."),
            isolate(str(params.get("device", ""))),
        ),
        "own_device": translate(
            "Refusals", "This is the device you are using: revoke it from another one."
        ),
    }
    if isinstance(error, Refused):
        otherwise = translate("Refusals", "The centre's rules do not allow this now.")
    elif isinstance(error, BadInput):
        otherwise = translate("Refusals", "That is not valid here.")
    else:
        otherwise = translate("Refusals", "That did not work. Try again.")
    return texts.get(code, otherwise)


def _explain_transition(number: str, action: str) -> str:
    # By the move the ticket could not make.
    translate = QCoreApplication.translate
    texts = {
        "recalled": translate(
            "Refusals", "Ticket %1 is being served: it can no longer be recalled."
        ),
        "started": translate("Refusals", "Ticket %1 is already being served."),
        "marked done": translate("Refusals", "Start serving ticket %1 before marking it done."),
        "marked no-show": translate(
            "Refusals", "Ticket %1 is being served: it cannot be a no-show."
        ),
        "transferred": translate("Refusals", "Ticket %1 cannot be transferred to that service."),
        "cancelled": translate(
            "Refusals", "Ticket %1 is not waiting: only a waiting ticket can be cancelled."
        ),
    }
    return fill(texts.get(action) or translate("Refusals", "Ticket %1 cannot do that now."), number)


__all__ = ["CONTEXT", "explain"]
