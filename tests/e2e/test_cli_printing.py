"""Printing from the command line: the virtual printer's paper, failures, copies and previews."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from tests.unit.printer.fakes import decode_qr_codes


@pytest.fixture(autouse=True)
def virtual_printer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every ticket of these tests goes to a virtual printer in the test's folder."""
    monkeypatch.setenv("TABOOR_PRINTER", f"virtual:{tmp_path / 'paper'}")
    return tmp_path / "paper"


def test_issue_prints_a_ticket_whose_qr_is_its_id(taboor, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = taboor("issue", "A", "--print", "--lang", "en")
    assert (code, err) == (0, "")
    ticket = json.loads(out)
    paper = tmp_path / "paper" / f"{ticket['id']}.png"
    assert (tmp_path / "paper" / f"{ticket['id']}.bin").stat().st_size < 6000
    with Image.open(paper) as picture:
        assert decode_qr_codes(picture) == [ticket["id"]]


def test_a_printer_that_fails_leaves_a_valid_ticket_and_tells_the_supervisor(
    taboor, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TABOOR_PRINTER", "tcp:127.0.0.1:9?timeout=1")
    code, out, err = taboor("issue", "C", "--print")
    assert code == 1
    assert json.loads(out)["number"] == "C001"  # issued and recorded all the same
    assert err.startswith("taboor: ticket C001 is valid but did not print")
    assert err.count("\n") == 1
    _, log, _ = taboor("events", "--json")
    failure = json.loads(log)[-1]
    assert failure["type"] == "print_failed"
    assert failure["ticket"]["number"] == "C001"
    assert failure["data"]["reason"] == "printer_unavailable"


def test_bad_printer_uri_is_bad_input(taboor) -> None:  # type: ignore[no-untyped-def]
    code, _, err = taboor("print-test", "--printer", "lpt1")
    assert code == 2
    assert "bad printer URI 'lpt1'" in err


def test_reprint_is_marked_as_a_copy(taboor, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, out, _ = taboor("issue", "E")
    ticket = json.loads(out)
    code, _, err = taboor("reprint", "E001")
    assert (code, err) == (0, "")
    assert (tmp_path / "paper" / f"{ticket['id']}-copy.png").exists()


def test_print_test_and_preview(taboor, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = taboor("print-test")
    assert code == 0
    assert "online, paper ok" in out
    code, out, _ = taboor("ticket-preview", "--out", str(tmp_path / "preview.png"))
    assert code == 0
    assert "576 dots wide" in out
    assert (tmp_path / "preview.png").stat().st_size > 1000
