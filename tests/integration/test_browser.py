"""The browser tests' own parts, real: Debian's headless Chromium on a page served over HTTP."""

from __future__ import annotations

import base64
import io
import threading
import wave
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image

from tests.browser import (
    BrowserFactory,
    page_errors,
    performance_marks,
    screenshot,
    text_of,
    wait_for,
)

PAGE = """<!doctype html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>طابور</title>
</head>
<body>
<h1 data-testid="welcome">أهلاً بكم في طابور</h1>
<p lang="ur">آپ کی باری ہے</p>
<p lang="hi" dir="ltr">आपकी बारी है</p>
<p lang="ml" dir="ltr">നിങ്ങളുടെ ഊഴമാണ്</p>
<p lang="bn" dir="ltr">আপনার পালা</p>
<p data-testid="status"></p>
<script>
document.querySelector('[data-testid="status"]').textContent = "جاهز";
performance.mark("taboor:ready");
</script>
</body>
</html>
"""

BROKEN = """<!doctype html>
<html><head><link rel="icon" href="data:,"></head>
<body><script>throw new Error("the page broke");</script></body></html>
"""


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves a folder without writing every request to stderr."""

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    """The base URL of a real HTTP server on 127.0.0.1 serving the test pages."""
    (tmp_path / "index.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "broken.html").write_text(BROKEN, encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=tmp_path))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def silent_wav() -> str:
    """A tenth of a second of silence as a WAV data URI."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(1)
        sound.setframerate(8000)
        sound.writeframes(b"\x80" * 800)
    return "data:audio/wav;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def test_an_arabic_page_on_a_phone(browser: BrowserFactory, site: str, tmp_path: Path) -> None:
    driver = browser(width=360, height=740, lang="ar")
    driver.get(f"{site}/index.html")

    assert driver.execute_script("return navigator.language").startswith("ar")
    assert wait_for(driver, lambda d: text_of(d, "status"), message="the script never ran")
    assert text_of(driver, "welcome") == "أهلاً بكم في طابور"
    assert text_of(driver, "status") == "جاهز"
    direction = "return getComputedStyle(document.documentElement).direction"
    assert driver.execute_script(direction) == "rtl"
    assert [mark.name for mark in performance_marks(driver)] == ["taboor:ready"]
    assert page_errors(driver) == []

    with Image.open(screenshot(driver, tmp_path / "phone.png")) as image:
        assert (image.format, image.size) == ("PNG", (360, 740))


def test_a_page_error_is_seen(browser: BrowserFactory, site: str) -> None:
    driver = browser()
    driver.get(f"{site}/broken.html")

    errors = wait_for(driver, page_errors, message="the error never reached the log")
    assert any("the page broke" in error for error in errors)


@pytest.mark.parametrize(("autoplay", "outcome"), [(True, "played"), (False, "NotAllowedError")])
def test_sound_plays_without_a_gesture_only_with_autoplay(
    browser: BrowserFactory, site: str, autoplay: bool, outcome: str
) -> None:
    driver = browser(autoplay=autoplay)
    driver.get(f"{site}/index.html")

    played = driver.execute_script(
        "return new Audio(arguments[0]).play().then(() => 'played', error => error.name);",
        silent_wav(),
    )
    assert played == outcome
