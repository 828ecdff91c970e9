"""The README's screenshots: every screen, in both languages, rendered offscreen."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from pytestqt.qtbot import QtBot

from kiosk.snapshots import main


def test_every_screen_renders_in_both_languages(qtbot: QtBot, tmp_path: Path) -> None:
    assert main([str(tmp_path)]) == 0
    shots = sorted(p.name for p in tmp_path.glob("*.png"))
    screens = (
        "home",
        "cpr",
        "choose",
        "services",
        "ticket-printer-off",
        "ticket-phone",
        "texts",
        "message",
        "closed",
    )
    for screen in screens:
        assert f"kiosk-{screen}-ar.png" in shots
        assert f"kiosk-{screen}-en.png" in shots
    with Image.open(tmp_path / "kiosk-home-ar.png") as image:
        assert image.size[0] > 0
        assert image.size[1] > image.size[0]  # portrait
