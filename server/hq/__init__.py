"""Head office: one small process watching every centre server, and the browser page it serves.

``taboor hq --centres centres.toml`` reads the centres (:mod:`server.hq.centres`),
polls each centre server's ``GET /api/v1/summary`` with its read-only
(integrator) token every few seconds, all at once and with short time-outs
(:mod:`server.hq.poller`), and serves a page in Arabic and English that shows
every centre live, compares them over a period by service level and
satisfaction (:mod:`server.hq.ranking`, from each centre's ``GET
/api/v1/reports``), and drills down to one centre's report
(:mod:`server.hq.app`). A centre that does not answer keeps its last figures,
marked unreachable since the last answer. The tokens stay in this process:
browsers see figures, never a token.

Errors: a centres file that cannot be used is a ``centre.errors.ConfigError``
(exit 2, one line); a centre that fails to answer is never an error, only its
state (``unreachable``, ``refused``, ``no_summary``, ``failed``).
"""

from __future__ import annotations

from server.hq.centres import Centre, Centres, load_centres
from server.hq.poller import Poller, Watch
from server.hq.ranking import Standing, rank

__all__ = ["Centre", "Centres", "Poller", "Standing", "Watch", "load_centres", "rank"]
