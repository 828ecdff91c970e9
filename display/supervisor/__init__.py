"""The supervisor's screen: live queues and counters, the day so far, the centre's health.

:mod:`display.supervisor.viewmodel` keeps the day report and acts;
:mod:`display.supervisor.window` and :mod:`display.supervisor.widgets` draw it.
"""

from display.supervisor.viewmodel import SupervisorAction, SupervisorViewModel
from display.supervisor.window import SupervisorWindow

__all__ = ["SupervisorAction", "SupervisorViewModel", "SupervisorWindow"]
