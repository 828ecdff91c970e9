"""The browser displays' routes over real HTTP: the pages, their files and the hall's QR as SVG."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from centre.clock import FixedClock
from centre.config import CentreConfig, PublicConfig
from centre.store.unit_of_work import Store
from server import web
from server.routes.displays import qr_svg
from server.routes.public import PAGE_HEADERS
from tests.live_server import LiveServer, live_server
from tests.unit.printer.fakes import decode_qr_codes

PUBLIC_URL = "https://dana.taboor.example"


@pytest.fixture
def live(sqlite_store: Store, clock: FixedClock, config: CentreConfig) -> Iterator[LiveServer]:
    public = config.model_copy(update={"public": PublicConfig(url=PUBLIC_URL)})
    with live_server(sqlite_store, clock, public) as server:
        yield server


@pytest.mark.parametrize(
    ("path", "kind"), [("/display/hall", "display_hall"), ("/display/counter/7", "display_counter")]
)
def test_a_display_page_is_the_same_bytes_for_everyone_under_the_strict_headers(
    live: LiveServer, path: str, kind: str
) -> None:
    answer = live.client().get(path)  # no token: the page holds it
    assert answer.status_code == 200
    assert answer.content == web.page(kind)
    for name, value in PAGE_HEADERS.items():
        assert answer.headers[name] == value
    for asset in ("display.js", "display.css"):
        served = live.client().get(f"/p/{asset}")
        assert served.status_code == 200
        assert asset.encode() in answer.content


def test_a_counter_the_centre_lacks_gets_the_not_found_page(live: LiveServer) -> None:
    for counter in ("99", "%207", "7x"):
        answer = live.client().get(f"/display/counter/{counter}")
        assert answer.status_code == 404
        assert answer.content == web.page("not_found")


def test_the_halls_qr_as_svg_holds_the_current_join_address(
    live: LiveServer, tmp_path: Path
) -> None:
    hall = live.client(live.enrol("hall"))
    url = hall.get("/api/v1/hall/join").json()["url"]
    answer = hall.get("/api/v1/hall/join.svg")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("image/svg+xml")
    assert answer.headers["cache-control"] == "no-store"
    assert answer.content == qr_svg(url)
    assert _read_svg(answer.content, tmp_path) == [url]
    for role in ("kiosk", "supervisor"):
        assert live.client(live.enrol(role)).get("/api/v1/hall/join.svg").status_code == 200


def test_the_halls_qr_is_for_screens_only(live: LiveServer) -> None:
    assert live.client().get("/api/v1/hall/join.svg").status_code == 401
    counter = live.client(live.enrol("counter", "1"))
    assert counter.get("/api/v1/hall/join.svg").status_code == 403


def test_without_a_public_address_there_is_no_qr(
    sqlite_store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    with live_server(sqlite_store, clock, config) as live:
        answer = live.client(live.enrol("hall")).get("/api/v1/hall/join.svg")
        assert (answer.status_code, answer.json()["code"]) == (404, "public_off")


def _read_svg(svg: bytes, folder: Path) -> list[str]:
    # Drawn as a browser would (Qt's SVG renderer stands in), then read as a phone would.
    from PySide6.QtCore import QByteArray  # noqa: PLC0415
    from PySide6.QtGui import QColor, QImage, QPainter  # noqa: PLC0415
    from PySide6.QtSvg import QSvgRenderer  # noqa: PLC0415

    renderer = QSvgRenderer(QByteArray(svg))
    image = QImage(400, 400, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    path = folder / "qr.png"
    assert image.save(str(path))
    with Image.open(path) as picture:
        return decode_qr_codes(picture)
