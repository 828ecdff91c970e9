"""The centre configuration: the demo file, and mistakes named by file, key and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from centre.config import DEFAULT_CONFIG, load_config, locate_key
from centre.errors import ConfigError

GOOD = DEFAULT_CONFIG.read_text(encoding="utf-8")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "centre.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_demo_centre_is_valid_and_realistic() -> None:
    config = load_config(DEFAULT_CONFIG, environ={})
    assert config.centre.timezone == "Asia/Bahrain"
    assert 4 <= len(config.services) <= 6
    assert len(config.counters) == 8
    assert all(s.name.ar and s.name.en for s in config.services)
    served = {code for c in config.counters for code in c.services}
    assert served == {s.code for s in config.services}


def test_environment_overrides_central_url_and_printer() -> None:
    config = load_config(
        DEFAULT_CONFIG,
        environ={"TABOOR_CENTRAL_URL": "https://central.example", "TABOOR_PRINTER": "tcp:10.0.0.9"},
    )
    assert config.central.url == "https://central.example"
    assert config.printer.uri == "tcp:10.0.0.9"


def test_a_relative_voice_folder_sits_beside_the_config(tmp_path: Path) -> None:
    text = GOOD.replace('# voice_dir = "/srv/taboor/voice"', 'voice_dir = "recordings"')
    assert text != GOOD
    config = load_config(write(tmp_path, text), environ={})
    assert config.announcements.voice_dir == str(tmp_path.resolve() / "recordings")
    absolute = text.replace('voice_dir = "recordings"', 'voice_dir = "/srv/taboor/voice"')
    assert load_config(write(tmp_path, absolute), environ={}).announcements.voice_dir == (
        "/srv/taboor/voice"
    )


def test_wrong_value_names_file_key_and_line(tmp_path: Path) -> None:
    text = GOOD.replace("daily_quota = 120", "daily_quota = -5")
    path = write(tmp_path, text)
    line = text.splitlines().index("daily_quota = -5") + 1
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    assert caught.value.problems[0].startswith(f"{path}:{line}: services[1].daily_quota: ")


def test_unknown_key_and_missing_key(tmp_path: Path) -> None:
    text = GOOD.replace('prefix = "C"', 'prefx = "C"')
    path = write(tmp_path, text)
    line = text.splitlines().index('prefx = "C"') + 1
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    problems = caught.value.problems
    assert any(p.startswith(f"{path}:") and "services[2].prefix: missing" in p for p in problems)
    assert f"{path}:{line}: services[2].prefx: unknown key" in problems


def test_counter_serving_unknown_service(tmp_path: Path) -> None:
    text = GOOD.replace(
        'services = ["driving-test", "licence-lost"]', 'services = ["driving-tset"]'
    )
    path = write(tmp_path, text.replace('weights = { "driving-test" = 3 }', ""))
    with pytest.raises(ConfigError, match="unknown service 'driving-tset'"):
        load_config(path, environ={})


def test_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace('timezone = "Asia/Bahrain"', "timezone = Asia/Bahrain"))
    with pytest.raises(ConfigError, match=r"centre.toml: .*line \d+"):
        load_config(path, environ={})


def test_unknown_timezone(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace('"Asia/Bahrain"', '"Asia/Manama-ish"'))
    with pytest.raises(ConfigError, match=r"centre\.timezone: unknown time zone"):
        load_config(path, environ={})


def test_missing_file() -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_config("/nonexistent/centre.toml", environ={})


def test_locate_nested_tables() -> None:
    text = (
        "[centre]\nid = 'x'\n[centre.hours]\nopen = 'x'\n"
        "[[services]]\ncode='a'\n[[services]]\ncode='b'\n"
    )
    assert locate_key(text, ("centre", "hours", "open")) == 4
    assert locate_key(text, ("services", 1, "code")) == 8
    assert locate_key(text, ("services", 1, "prefix")) == 7
    assert locate_key(text, ("nothing",)) is None
