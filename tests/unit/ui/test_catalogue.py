"""The Arabic catalogue: complete, in step with the code, and compiled from its latest text."""

from __future__ import annotations

import shutil
from pathlib import Path
from xml.etree import ElementTree

from ui.catalogue import catalogue_paths, compile_catalogue, extract, qt_tool


def messages(ts_file: Path) -> dict[tuple[str, str], ElementTree.Element]:
    root = ElementTree.parse(ts_file).getroot()  # noqa: S314 - our own catalogue
    found = {}
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            found[(name, message.findtext("source") or "")] = translation
    return found


def test_every_text_has_a_finished_arabic_translation() -> None:
    ts_file, _ = catalogue_paths("ar")
    found = messages(ts_file)
    assert len(found) > 50
    unfinished = [key for key, t in found.items() if t.get("type") or not (t.text or "").strip()]
    assert unfinished == []
    # Placeholders survive translation.
    for (_, source), translation in found.items():
        for placeholder in ("%1", "%2", "%3"):
            assert (placeholder in source) == (placeholder in (translation.text or "")), source


def test_the_catalogue_holds_exactly_the_texts_of_the_code(tmp_path: Path) -> None:
    ts_file, _ = catalogue_paths("ar")
    copy = tmp_path / ts_file.name
    shutil.copy(ts_file, copy)
    extract(copy)
    assert copy.read_text(encoding="utf-8") == ts_file.read_text(encoding="utf-8"), (
        "visible strings changed: run python -m ui.catalogue and translate the new ones"
    )


def test_the_compiled_catalogue_is_up_to_date(tmp_path: Path) -> None:
    ts_file, qm_file = catalogue_paths("ar")
    fresh = tmp_path / qm_file.name
    compile_catalogue(ts_file, fresh)
    assert fresh.read_bytes() == qm_file.read_bytes(), "run python -m ui.catalogue"


def test_qt_tools_come_with_pyside6() -> None:
    assert qt_tool("lrelease").is_file()
    assert qt_tool("lupdate").is_file()
