"""Centres compared over a period: ranked by service-level attainment and by satisfaction.

Each centre's figures are the total row of its report (``sla_pct``: the
share called within the service's maximum wait; ``satisfaction``: the mean
rating). The order is by service level, best first, then by satisfaction,
then by name; a centre without the figure (no data, or no answer) comes
after every centre that has it, and one that did not answer after one that
did. Each centre also gets its place by each figure alone, equal figures
sharing a place ("1, 1, 3"). The report's other
fields pass through untouched, known or not: the page shows those it knows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from server.hq.poller import PeriodAnswer

SLA = "sla_pct"
SATISFACTION = "satisfaction"


@dataclass(frozen=True)
class Standing:
    """One centre's place over the period."""

    centre: str
    name: dict[str, str]
    total: dict[str, Any] | None
    sla_place: int | None
    satisfaction_place: int | None
    problem: str | None = None
    detail: str = ""

    def as_json(self) -> dict[str, Any]:
        """The standing as the page gets it."""
        return {
            "centre": self.centre,
            "name": self.name,
            "total": self.total,
            "sla_place": self.sla_place,
            "satisfaction_place": self.satisfaction_place,
            "problem": self.problem,
            "detail": self.detail,
        }


def figure(total: dict[str, Any] | None, name: str) -> float | None:
    """A figure of a total row when it is a number (``None``: missing, null or not a number)."""
    if total is None:
        return None
    value = total.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def places(values: Sequence[float | None]) -> list[int | None]:
    """Each value's place, the highest first, equal values sharing one (``None``: no place)."""
    known = sorted((v for v in values if v is not None), reverse=True)
    return [None if v is None else known.index(v) + 1 for v in values]


def rank(answers: Sequence[PeriodAnswer]) -> list[Standing]:
    """The centres in order (see the module), each with its places."""
    totals = [a.report.get("total") if a.report is not None else None for a in answers]
    sla = [figure(t, SLA) for t in totals]
    satisfaction = [figure(t, SATISFACTION) for t in totals]
    sla_places, satisfaction_places = places(sla), places(satisfaction)
    standings = [
        Standing(
            centre=answer.centre.id,
            name=answer.centre.name_json(),
            total=total,
            sla_place=sla_places[i],
            satisfaction_place=satisfaction_places[i],
            problem=answer.problem,
            detail=answer.detail,
        )
        for i, (answer, total) in enumerate(zip(answers, totals, strict=True))
    ]
    order = sorted(
        range(len(standings)),
        key=lambda i: (
            sla[i] is None,
            -(sla[i] or 0.0),
            satisfaction[i] is None,
            -(satisfaction[i] or 0.0),
            standings[i].problem is not None,
            standings[i].name["en"].casefold(),
        ),
    )
    return [standings[i] for i in order]


__all__ = ["SATISFACTION", "SLA", "Standing", "figure", "places", "rank"]
