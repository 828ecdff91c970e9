"""The phone pages' files: the whitelist, the pages, their size, their strings and their CSP."""

from __future__ import annotations

import json
import re

import pytest

from server import web

PAGE_KINDS = ("ticket", "join", "not_found", "expired")
FIRST_LOAD_LIMIT = 100_000


def _bytes(name: str) -> bytes:
    found = web.asset(name)
    assert found is not None, name
    return found[0]


def _text(name: str) -> str:
    return _bytes(name).decode("utf-8")


def _strings(code: str) -> dict[str, str]:
    strings = json.loads(_text(f"{code}.json"))
    assert isinstance(strings, dict)
    return strings


def _page_assets(html: str) -> list[str]:
    """The /p/ files a page's HTML loads (script, style sheet, icon)."""
    return re.findall(r'(?:src|href)="/p/([^"]+)"', html)


def test_every_whitelisted_asset_loads_with_its_media_type() -> None:
    for name, media_type in web.ASSETS.items():
        found = web.asset(name)
        assert found is not None, name
        body, served_type = found
        assert body, name
        assert served_type == media_type


def test_an_asset_is_read_once() -> None:
    first = web.asset("phone.js")
    again = web.asset("phone.js")
    assert first is not None
    assert again is not None
    assert first[0] is again[0]


@pytest.mark.parametrize(
    "name",
    [
        "",
        "nope.js",
        "PHONE.JS",
        "phone.html",
        "not_found.html",
        "../__init__.py",
        "..%2F__init__.py",
        "static/phone.js",
        "/phone.js",
        "phone.js/",
        "./phone.js",
        "../../../pyproject.toml",
        "/etc/passwd",
        "fr.json",
    ],
)
def test_a_name_off_the_whitelist_is_none(name: str) -> None:
    assert web.asset(name) is None


def test_pages_are_html_documents() -> None:
    for kind in PAGE_KINDS:
        html = web.page(kind).decode("utf-8")
        assert html.startswith("<!doctype html>"), kind
        assert '<meta charset="utf-8">' in html, kind


def test_ticket_and_join_are_one_page_and_not_found_never_varies() -> None:
    assert web.page("ticket") == web.page("join")
    assert web.page("not_found") is web.page("not_found")
    assert web.page("not_found") != web.page("expired")


def test_an_unknown_page_is_refused() -> None:
    with pytest.raises(ValueError, match="no page"):
        web.page("../phone.html")


def test_every_page_sets_the_viewport() -> None:
    for kind in PAGE_KINDS:
        html = web.page(kind).decode("utf-8")
        assert re.search(r'<meta name="viewport" content="width=device-width[^"]*">', html), kind


def test_every_file_a_page_loads_is_whitelisted() -> None:
    for kind in PAGE_KINDS:
        for name in _page_assets(web.page(kind).decode("utf-8")):
            assert name in web.ASSETS, (kind, name)


def test_the_ticket_page_first_load_stays_under_100_kb() -> None:
    html = web.page("ticket")
    loaded = _page_assets(html.decode("utf-8"))
    assert {"phone.js", "phone.css"} <= set(loaded)
    # The script then fetches the strings of one language: count the largest.
    strings = max(len(_bytes(f"{code}.json")) for code in web.LANGUAGES)
    total = len(html) + sum(len(_bytes(name)) for name in loaded) + strings
    assert total <= FIRST_LOAD_LIMIT, total


def test_every_language_has_every_english_string_with_the_same_placeholders() -> None:
    english = _strings("en")
    for code in web.LANGUAGES:
        strings = _strings(code)
        assert set(strings) == set(english), code
        for key, text in strings.items():
            assert isinstance(text, str), (code, key)
            assert text.strip(), (code, key)
            placeholders = set(re.findall(r"\{\w+\}", text))
            assert placeholders == set(re.findall(r"\{\w+\}", english[key])), (code, key)


def test_every_string_the_pages_name_is_in_english() -> None:
    english = _strings("en")
    script = _text("phone.js")
    named = set(re.findall(r'\bt\("(\w+)"', script))
    for kind in PAGE_KINDS:
        named |= set(re.findall(r'data-i18n(?:-label)?="(\w+)"', web.page(kind).decode("utf-8")))
    # Keys the script builds: state_{state}, err_{code}, rate_{n}, {page}_title and _hint.
    named |= {f"state_{state}" for state in ("waiting", "called", "serving", "served")}
    named |= {"state_no_show", "state_cancelled", "not_found_title", "expired_hint"}
    assert named
    assert named <= set(english), named - set(english)


def test_the_script_knows_every_language_it_has_strings_for() -> None:
    script = _text("phone.js")
    for code in web.LANGUAGES:
        assert re.search(rf"^\s+{code}: \"", script, re.MULTILINE), code


def test_the_pages_keep_to_the_content_security_policy() -> None:
    for kind in PAGE_KINDS:
        html = web.page(kind).decode("utf-8")
        assert re.findall(r"<script[^>]*>", html) == ['<script src="/p/phone.js" defer>'], kind
        assert '<script src="/p/phone.js" defer></script>' in html, kind
        assert "<style" not in html, kind
        assert not re.search(r"\sstyle=", html), kind
        assert not re.search(r"\son[a-z]+=", html), kind
        assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', ""), kind
        assert "https://" not in html, kind
    for name in ("phone.js", "sw.js"):
        script = _text(name)
        for forbidden in ("innerHTML", "outerHTML", "insertAdjacentHTML", "eval(", "Function("):
            assert forbidden not in script, (name, forbidden)
        assert 'setAttribute("style"' not in script, name
    assert "@import" not in _text("phone.css")
    assert "url(" not in _text("phone.css")


def test_the_ticket_page_has_its_test_hooks() -> None:
    html = web.page("ticket").decode("utf-8")
    ids = re.findall(r'data-testid="([\w-]+)"', html)
    wanted = {
        "number",
        "state",
        "ahead",
        "eta",
        "counter",
        "called",
        "offline",
        "more-time",
        "leave",
        "leave-confirm",
        "thanks",
        "sms-input",
        "sms-submit",
        "lang",
        "error",
        *(f"rate-{n}" for n in range(1, 6)),
    }
    assert wanted <= set(ids), wanted - set(ids)
    assert len(ids) == len(set(ids)), "a test id is used twice"


def test_the_sms_field_asks_for_a_phone_number() -> None:
    html = web.page("ticket").decode("utf-8")
    field = re.search(r"<input[^>]*data-testid=\"sms-input\"[^>]*>", html)
    assert field is not None
    for attribute in ('type="tel"', 'autocomplete="tel"', 'inputmode="tel"'):
        assert attribute in field.group(0)


def test_the_state_is_announced_and_the_call_is_an_alert() -> None:
    html = web.page("ticket").decode("utf-8")
    assert re.search(r'<div aria-live="polite">\s*<p[^>]*data-testid="state"', html)
    assert re.search(r'<div[^>]*data-testid="called"[^>]*role="alert"', html)


def test_the_notices_speak_arabic_and_english_without_the_api() -> None:
    arabic = _strings("ar")
    english = _strings("en")
    for kind in ("not_found", "expired"):
        html = web.page(kind).decode("utf-8")
        for strings in (arabic, english):
            assert strings[f"{kind}_title"] in html, kind
            assert strings[f"{kind}_hint"] in html, kind
