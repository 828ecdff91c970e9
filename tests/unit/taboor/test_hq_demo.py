"""The demo's head office: the centres file it writes is one ``taboor hq --centres`` reads."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from centre.config import load_config
from server.hq.centres import load_centres
from sim.history import working_days_before
from taboor.hq_demo import CENTRES, Prepared, write_centres_file


def prepared(folder: Path, config: Path) -> Prepared:
    centre = load_config(config, environ={}).centre
    token = folder / f"{centre.id}.token"
    token.write_text("an-invented-token-for-the-demo\n", encoding="utf-8")
    return Prepared(
        id=centre.id,
        name_ar=centre.name.ar,
        name_en=centre.name.en,
        db=f"sqlite:///{folder / centre.id}.db",
        config=config,
        robots=folder,
        bookings=folder / "bookings.json",
        token_file=token,
        counters=["1"],
        played=0,
    )


def test_the_centres_file_names_each_centre_with_its_server_and_token(tmp_path: Path) -> None:
    centres = [prepared(tmp_path, demo.config) for demo in CENTRES]
    urls = [f"http://127.0.0.1:{port}" for port in (9001, 9002, 9003)]
    found = load_centres(write_centres_file(tmp_path / "centres.toml", centres, urls))
    assert [c.id for c in found.centres] == ["traffic-dana", "npra-isa-town", "cid-south"]
    assert [c.url for c in found.centres] == urls
    assert {c.token for c in found.centres} == {"an-invented-token-for-the-demo"}
    assert found.centres[1].name_ar == "شؤون الجنسية والجوازات والإقامة - فرع مدينة عيسى"


def test_the_past_days_are_the_centres_working_days_before_today() -> None:
    config = load_config(CENTRES[1].config, environ={})
    days = working_days_before(config, date(2026, 11, 22), 3)
    assert [d.isoformat() for d in days] == ["2026-11-17", "2026-11-18", "2026-11-19"]
