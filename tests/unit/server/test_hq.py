"""Head office's parts without a network: the centres file, a centre's watch, the ranking."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from centre.errors import ConfigError
from server.errors import ApiError
from server.hq.app import period_of
from server.hq.centres import Centre, load_centres
from server.hq.poller import PeriodAnswer, Watch
from server.hq.ranking import figure, places, rank

BAHRAIN = ZoneInfo("Asia/Bahrain")
AT = datetime(2026, 11, 22, 6, 41, 5, tzinfo=ZoneInfo("UTC"))
GOOD = """\
timezone = "Asia/Bahrain"

[[centres]]
id = "traffic-dana"
name = { ar = "فرع مجمع الدانة", en = "Dana Mall branch" }
url = "http://127.0.0.1:8080/"
token = "a-token-of-the-integrator"

[[centres]]
id = "npra-isa-town"
name = { ar = "فرع مدينة عيسى", en = "Isa Town branch" }
url = "https://isa-town.example:8443"
token_file = "tokens/isa.token"
"""


def centre(centre_id: str = "c1", name: str = "Centre") -> Centre:
    return Centre(centre_id, f"مركز {name}", name, "http://127.0.0.1:1", token="t" * 16)


def write(folder: Path, text: str) -> Path:
    (folder / "tokens").mkdir(exist_ok=True)
    (folder / "tokens" / "isa.token").write_text("isa-town-token\n", encoding="utf-8")
    path = folder / "centres.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_gives_each_centre_with_its_token(tmp_path: Path) -> None:
    found = load_centres(write(tmp_path, GOOD))
    assert found.zone == BAHRAIN
    dana, isa = found.centres
    assert (dana.id, dana.url, dana.token) == (
        "traffic-dana",
        "http://127.0.0.1:8080",
        "a-token-of-the-integrator",
    )
    assert isa.token == "isa-town-token"  # noqa: S105 - the test's invented token
    assert isa.name_json() == {"ar": "فرع مدينة عيسى", "en": "Isa Town branch"}
    assert found.by_id("npra-isa-town") is isa
    assert found.by_id("elsewhere") is None
    assert "isa-town-token" not in repr(isa)


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (
            ('url = "https://isa-town.example:8443"', 'url = "ftp://x"'),
            "centres.toml:12: centres[1].url: not an http(s) address",
        ),
        (
            ('token_file = "tokens/isa.token"', ""),
            "centres.toml:9: centres[1]: give token or token_file (one of them)",
        ),
        (
            ('token_file = "tokens/isa.token"', 'token_file = "tokens/nowhere"'),
            "centres.toml:13: centres[1].token_file: DIR/tokens/nowhere: No such file or directory",
        ),
        (
            ('id = "npra-isa-town"', 'id = "traffic-dana"'),
            "centres.toml: (top level): centre id 'traffic-dana' is used twice",
        ),
        (
            ('timezone = "Asia/Bahrain"', 'timezone = "Mars/Olympus"'),
            "centres.toml: (top level): no time zone 'Mars/Olympus'",
        ),
        (('timezone = "Asia/Bahrain"', 'colour = "blue"'), "centres.toml:1: colour: unknown key"),
        (
            ('[[centres]]\nid = "traffic-dana"', '[[centres]]\nnom = "traffic-dana"'),
            "centres.toml:3: centres[0].id: missing",
        ),
        (('url = "http', "url = http"), "centres.toml: Invalid value (at line 6, column 7)"),
    ],
)
def test_each_mistake_is_one_line_naming_where(
    tmp_path: Path, change: tuple[str, str], said: str
) -> None:
    text = GOOD.replace(change[0], change[1], 1)
    assert text != GOOD
    with pytest.raises(ConfigError) as raised:
        load_centres(write(tmp_path, text))
    assert str(raised.value) == f"{tmp_path}/" + said.replace("DIR", str(tmp_path))
    assert raised.value.problems == [str(raised.value)]
    assert raised.value.exit_code == 2


def test_a_missing_file_and_an_empty_token_are_said(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_centres(tmp_path / "nowhere.toml")
    path = write(tmp_path, GOOD)
    (tmp_path / "tokens" / "isa.token").write_text("\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"isa\.token is empty"):
        load_centres(path)


def test_a_watch_keeps_the_last_figures_and_when_they_were_true() -> None:
    watch = Watch(centre())
    assert watch.state == "waiting"
    watch.answered({"waiting": 7}, AT)
    assert watch.state == "live"
    later = AT + timedelta(seconds=10)
    watch.failed("unreachable", "cannot connect", later)
    assert watch.state == "unreachable"
    shown = watch.as_json(BAHRAIN)
    assert shown["summary"] == {"waiting": 7}
    assert shown["last_ok"] == "2026-11-22T09:41:05+03:00"
    assert shown["checked_at"] == "2026-11-22T09:41:15+03:00"
    assert (shown["state"], shown["detail"]) == ("unreachable", "cannot connect")
    watch.failed("refused", "token refused", later + timedelta(seconds=10))
    assert watch.state == "refused"
    watch.answered({"waiting": 2}, later + timedelta(seconds=20))
    assert (watch.state, watch.detail, watch.summary) == ("live", "", {"waiting": 2})


def test_a_centre_never_reached_has_no_figures_and_no_time() -> None:
    watch = Watch(centre())
    watch.failed("unreachable", "no answer in time", AT)
    shown = watch.as_json(BAHRAIN)
    assert (shown["summary"], shown["last_ok"], shown["state"]) == (None, None, "unreachable")


def total(sla: Any, satisfaction: Any, **more: Any) -> dict[str, Any]:
    return {
        "from": "2026-11-01",
        "rows": [],
        "total": {"sla_pct": sla, "satisfaction": satisfaction, **more},
    }


def test_centres_rank_by_service_level_then_satisfaction_none_last() -> None:
    answers = [
        PeriodAnswer(centre("a", "Alpha"), total(80.0, 4.5)),
        PeriodAnswer(centre("b", "Bravo"), total(95.5, 3.9, walk_ins=12)),
        PeriodAnswer(centre("c", "Charlie"), None, "unreachable", "cannot connect"),
        PeriodAnswer(centre("d", "Delta"), total(80.0, 4.7)),
        PeriodAnswer(centre("e", "Echo"), total(None, None)),
    ]
    ranked = rank(answers)
    assert [s.centre for s in ranked] == ["b", "d", "a", "e", "c"]
    places_of = {s.centre: (s.sla_place, s.satisfaction_place) for s in ranked}
    assert places_of == {
        "b": (1, 3),
        "d": (2, 1),
        "a": (2, 2),
        "e": (None, None),
        "c": (None, None),
    }
    assert ranked[0].total == {"sla_pct": 95.5, "satisfaction": 3.9, "walk_ins": 12}
    assert ranked[-1].as_json()["problem"] == "unreachable"
    assert ranked[-1].as_json()["name"] == {"ar": "مركز Charlie", "en": "Charlie"}


def test_places_are_shared_by_equal_figures_and_only_numbers_count() -> None:
    assert places([3.0, None, 5.0, 3.0, 1.0]) == [2, None, 1, 2, 4]
    assert figure({"sla_pct": True}, "sla_pct") is None
    assert figure({"sla_pct": "90"}, "sla_pct") is None
    assert figure({"sla_pct": 90}, "sla_pct") == 90.0
    assert figure(None, "sla_pct") is None
    assert figure({}, "sla_pct") is None


@pytest.mark.parametrize(
    ("start", "end"),
    [("2026-11-30", "2026-11-01"), ("2026-02-30", "2026-03-01"), ("2000-01-01", "2026-01-01")],
)
def test_a_bad_period_is_refused(start: str, end: str) -> None:
    with pytest.raises(ApiError) as raised:
        period_of(start, end)
    assert (raised.value.status, raised.value.code) == (422, "bad_input")


def test_a_period_of_one_day_is_fine() -> None:
    first, last = period_of("2026-11-22", "2026-11-22")
    assert first == last
