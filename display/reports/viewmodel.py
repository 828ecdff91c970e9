"""The Reports tab's view-model: the period and split chosen, the report read, its export.

A report over a year takes the centre up to a couple of seconds, so every
read and every export runs on a worker thread of its own
(:class:`ui.tasks.TaskRunner`), never on the GUI thread and never behind the
supervisor's actions. Choices made while a read runs are folded into one more
read after it; a report that no longer matches the period and split chosen is
never shown.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal

from centre.errors import TaboorError
from centre.port import CentrePort
from centre.reports import BY, Report
from display.refusals import explain
from ui.i18n import check_language, fill, isolate
from ui.signals import emit
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)

# The split a supervisor sees first.
DEFAULT_SPLIT = "day"


class QuickPeriod(StrEnum):
    """The periods one button picks, counted from the centre's today."""

    YESTERDAY = "yesterday"
    LAST_7_DAYS = "last_7_days"
    THIS_MONTH = "this_month"
    LAST_MONTH = "last_month"


# The period a supervisor sees first.
DEFAULT_QUICK = QuickPeriod.LAST_7_DAYS


class ExportKind(StrEnum):
    """The files a report is exported to."""

    PDF = "pdf"
    XLSX = "xlsx"


@dataclass(frozen=True)
class Period:
    """The business days ``start`` to ``end``, both included."""

    start: date
    end: date

    @property
    def days(self) -> int:
        """How many days it spans (0 or less when it starts after it ends)."""
        return (self.end - self.start).days + 1


def quick_period(choice: QuickPeriod | str, today: date) -> Period:
    """The days ``choice`` means on ``today``: yesterday; the seven days before today; this
    month up to today; last month, whole."""
    quick = QuickPeriod(choice)
    yesterday = today - timedelta(days=1)
    if quick is QuickPeriod.YESTERDAY:
        return Period(yesterday, yesterday)
    if quick is QuickPeriod.LAST_7_DAYS:
        # Whole days only: today is still going (the Today tab shows it).
        return Period(today - timedelta(days=7), yesterday)
    if quick is QuickPeriod.THIS_MONTH:
        return Period(today.replace(day=1), today)
    last_of_last = today.replace(day=1) - timedelta(days=1)
    return Period(last_of_last.replace(day=1), last_of_last)


class ReportsViewModel(QObject):
    """The period and split a supervisor chose, the report the centre gave for them, exports.

    Choosing a quick period or a split reads the report at once; so does
    :meth:`set_period` (each date edit): the reads are folded, see the
    module. :meth:`export` writes the report shown to a PDF or XLSX file in
    the supervisor's language. Every outcome worth a word is one line in that
    language (:attr:`message_shown`).
    """

    # Period: the period chosen
    period_changed = Signal(object)
    # str: the split chosen (one of centre.reports.BY)
    split_changed = Signal(str)
    # Report | None: the report shown (None: none yet, or cleared at sign-out)
    report_changed = Signal(object)
    # bool: whether a read or an export runs
    busy_changed = Signal(bool)
    # str, bool: one line in the supervisor's language (empty clears it); whether it is an error
    message_shown = Signal(str, bool)
    # str: the path of a file just written
    exported = Signal(str)

    def __init__(
        self,
        centre: CentrePort,
        *,
        lang: str = "ar",
        runner: TaskRunner | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._centre = centre
        self._config = centre.config
        self._lang = check_language(lang)
        self._runner = runner or TaskRunner("supervisor-reports", parent=self)
        self._period = quick_period(DEFAULT_QUICK, self.today())
        self._split = DEFAULT_SPLIT
        self._report: Report | None = None
        self._reading = False
        self._again = False
        self._exporting = False
        self._busy = False
        # Counts the clear()s: an answer asked before the last one is dropped.
        self._generation = 0

    # -- state ---------------------------------------------------------------

    @property
    def period(self) -> Period:
        """The period chosen."""
        return self._period

    @property
    def split(self) -> str:
        """The split chosen."""
        return self._split

    @property
    def report(self) -> Report | None:
        """The report shown: the centre's answer for the period and split chosen."""
        return self._report

    @property
    def busy(self) -> bool:
        """Whether a read or an export runs."""
        return self._busy

    @property
    def language(self) -> str:
        """The supervisor's language: the messages' and the exports'."""
        return self._lang

    @property
    def quick(self) -> QuickPeriod | None:
        """The quick period the period chosen is, on the centre's today (if any)."""
        today = self.today()
        for choice in QuickPeriod:
            if quick_period(choice, today) == self._period:
                return choice
        return None

    def today(self) -> date:
        """The centre's business day now."""
        return self._centre.clock.now().astimezone(self._config.centre.zone).date()

    # -- choosing ------------------------------------------------------------

    def set_language(self, lang: str) -> None:
        """Speak and export in ``lang`` from now on."""
        self._lang = check_language(lang)

    def choose(self, choice: QuickPeriod | str) -> None:
        """Pick a quick period and read its report."""
        self._set_period(quick_period(choice, self.today()))
        self.load()

    def set_period(self, start: date, end: date) -> None:
        """Pick the days ``start`` to ``end`` and read their report."""
        self._set_period(Period(start, end))
        self.load()

    def set_split(self, by: str) -> None:
        """Split by ``by`` (one of :data:`centre.reports.BY`) and read the report."""
        if by not in BY:
            self._say(QCoreApplication.translate("ReportsViewModel", "There is no such split."))
            return
        if by != self._split:
            self._split = by
            emit(self.split_changed, by)
        self.load()

    def load(self) -> None:
        """Read the report of the period and split chosen (off the GUI thread)."""
        period, by = self._period, self._split
        if period.start > period.end:
            self._say(
                QCoreApplication.translate(
                    "ReportsViewModel", "The period starts after it ends: choose the dates again."
                )
            )
            return
        if self._reading:
            self._again = True
            return
        self._reading = True
        self._again = False
        emit(self.message_shown, "", False)
        self._update_busy()
        centre, asked = self._centre, self._generation
        self._runner.submit(
            lambda: centre.report(period.start, period.end, by),
            partial(self._read, asked),
            partial(self._read_failed, asked),
        )

    def clear(self) -> None:
        """Forget the report shown (the supervisor signed out); the choices stay."""
        # A read under way was asked by the one who left: its answer is not shown.
        self._generation += 1
        self._again = False
        if self._report is not None:
            self._report = None
            emit(self.report_changed, None)
        emit(self.message_shown, "", False)

    def stop(self) -> None:
        """Drop reads and exports not started; deliver nothing more."""
        self._runner.shutdown()

    # -- exporting -----------------------------------------------------------

    def suggested_name(self, kind: ExportKind | str) -> str:
        """A file name for the report shown: ``taboor-report-2026-10-01-2026-10-31-service.pdf``."""
        kind = ExportKind(kind)
        report = self._report
        if report is None:
            start, end, by = self._period.start, self._period.end, self._split
        else:
            start, end, by = report.start, report.end, report.by
        return f"taboor-report-{start}-{end}-{by}.{kind.value}"

    def export(self, kind: ExportKind | str, path: Path | str) -> None:
        """Write the report shown to ``path`` as ``kind`` (its suffix added when missing)."""
        kind = ExportKind(kind)
        report = self._report
        translate = QCoreApplication.translate
        if report is None:
            self._say(translate("ReportsViewModel", "Show a report first, then export it."))
            return
        if self._reading or self._exporting:
            return
        target = Path(path)
        if target.suffix.lower() != f".{kind.value}":
            target = target.with_name(f"{target.name}.{kind.value}")
        config, lang = self._config, self._lang
        self._exporting = True
        self._update_busy()

        def job() -> Path:
            # Imported when first used: the writers bring their libraries (openpyxl).
            from display.reports import export  # noqa: PLC0415

            write = export.write_pdf if kind is ExportKind.PDF else export.write_xlsx
            return write(report, config, target, lang)

        self._runner.submit(job, self._written, partial(self._export_failed, target))

    # -- explaining ----------------------------------------------------------

    def explain(self, error: Exception) -> str:
        """One line in the supervisor's language saying why a report could not be read."""
        if isinstance(error, TaboorError) and error.code == "bad_input":
            # The split comes from the list and the dates are in order: the period is too long.
            return QCoreApplication.translate(
                "ReportsViewModel", "The centre cannot report on that period: choose a shorter one."
            )
        return explain(error, self._config, self._lang, where="supervisor reports")

    # -- behind the scenes ---------------------------------------------------

    def _set_period(self, period: Period) -> None:
        if period != self._period:
            self._period = period
            emit(self.period_changed, period)

    def _read(self, asked: int, report: Report) -> None:
        self._reading = False
        chosen = (self._period.start, self._period.end, self._split)
        if asked == self._generation and (report.start, report.end, report.by) == chosen:
            self._again = False
            self._report = report
            emit(self.report_changed, report)
        elif self._again:
            # The supervisor chose again meanwhile: this answer is for a report no longer asked.
            self._again = False
            self.load()
        self._update_busy()

    def _read_failed(self, asked: int, error: Exception) -> None:
        self._reading = False
        if self._again:
            self._again = False
            self.load()
        elif asked == self._generation:
            self._say(self.explain(error))
        self._update_busy()

    def _written(self, path: Path) -> None:
        self._exporting = False
        self._update_busy()
        text = QCoreApplication.translate("ReportsViewModel", "Saved %1.")
        emit(self.message_shown, fill(text, isolate(str(path))), False)
        emit(self.exported, str(path))

    def _export_failed(self, target: Path, error: Exception) -> None:
        self._exporting = False
        self._update_busy()
        if isinstance(error, OSError):
            log.warning("supervisor reports: cannot write %s: %s", target, error)
            text = QCoreApplication.translate(
                "ReportsViewModel", "Cannot write %1: choose another folder or name."
            )
            self._say(fill(text, isolate(str(target))))
        else:
            self._say(explain(error, self._config, self._lang, where="supervisor reports"))

    def _say(self, text: str) -> None:
        emit(self.message_shown, text, True)

    def _update_busy(self) -> None:
        busy = self._reading or self._exporting
        if busy != self._busy:
            self._busy = busy
            emit(self.busy_changed, busy)


__all__ = [
    "DEFAULT_QUICK",
    "DEFAULT_SPLIT",
    "ExportKind",
    "Period",
    "QuickPeriod",
    "ReportsViewModel",
    "quick_period",
]
