"""``taboor report --xlsx`` and ``--pdf`` through the real command, read back."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.documents import pdf_text, pdftotext, readable, squeezed
from tests.e2e.test_cli_report import a_morning
from tests.helpers import run_cli

PERIOD = ("report", "--from", "2026-11-22", "--to", "2026-11-22")


def test_a_workbook_in_the_centres_first_language(sqlite_url: str, tmp_path: Path) -> None:
    a_morning(sqlite_url)
    out = tmp_path / "تقرير نوفمبر.xlsx"
    got = run_cli(*PERIOD, "--by", "service", "--xlsx", str(out), db=sqlite_url, home=tmp_path)
    assert got.code == 0, got.err
    assert got.out == f"{out}\n"
    assert got.err == ""
    # The demo centre lists Arabic first.
    book = load_workbook(out)
    sheet = book["التقرير"]
    assert sheet.sheet_view.rightToLeft
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[1][0] == "تقرير 22 نوفمبر 2026 حسب الخدمة"
    header, renewal, fines, total = rows[3:]
    assert header[:6] == [
        "الخدمة", "المراجعون", "تمت خدمتهم", "لم يحضروا", "الملغاة", "متوسط الانتظار (دقيقة)",
    ]  # fmt: skip
    assert renewal[:6] == ["تجديد رخصة السياقة", 1, 1, 0, 0, 10.0]
    assert fines[:6] == ["دفع المخالفات المرورية", 1, 0, 0, 1, None]
    assert total[:6] == ["الإجمالي", 2, 1, 0, 1, 10.0]


def test_a_pdf_in_english_with_no_desktop(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdftotext()
    a_morning(sqlite_url)
    # A server's shell: no desktop and no Qt platform named; the command goes offscreen.
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    out = tmp_path / "november.pdf"
    args = (*PERIOD, "--by", "counter", "--pdf", str(out), "--lang", "en")
    got = run_cli(*args, db=sqlite_url, home=tmp_path)
    assert got.code == 0, got.err
    assert got.out == f"{out}\n"
    assert got.err == ""
    text = readable(pdf_text(out))
    assert "Report 22 Nov 2026 by counter" in text
    counter = next(line for line in text.splitlines() if "Counter 1" in line)
    assert counter.split()[2:7] == ["1", "1", "0", "0", "10.0"]
    assert any(line.split()[:3] == ["Not", "called", "1"] for line in text.splitlines())


def test_a_pdf_in_arabic(sqlite_url: str, tmp_path: Path) -> None:
    pdftotext()
    a_morning(sqlite_url)
    out = tmp_path / "r.pdf"
    got = run_cli(*PERIOD, "--pdf", str(out), "--lang", "ar", db=sqlite_url, home=tmp_path)
    assert got.code == 0, got.err
    text = pdf_text(out)
    assert "تقرير22نوفمبر2026حسباليوم" in squeezed(text)
    assert "الأحد22نوفمبر2026" in squeezed(text)


@pytest.mark.parametrize("option", ["--xlsx", "--pdf", "--csv"])
def test_a_file_that_cannot_be_written_is_one_line_and_exit_2(
    sqlite_url: str, tmp_path: Path, option: str
) -> None:
    a_morning(sqlite_url)
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    cases = [(blocked / "r.out", "Not a directory")]
    if option != "--csv":  # --csv names a folder, and makes it
        cases.append((tmp_path / "no-such-folder" / "r.out", "No such file or directory"))
    for target, reason in cases:
        got = run_cli(*PERIOD, option, str(target), db=sqlite_url, home=tmp_path)
        assert got.code == 2, got.err
        assert got.out == ""
        assert got.err == f"taboor: cannot write {target}: {reason}\n"
        assert not (tmp_path / "no-such-folder").exists()


def test_lang_goes_with_a_file_and_one_file_at_a_time(sqlite_url: str, tmp_path: Path) -> None:
    for args, said in (
        (("--json", "--lang", "en"), "taboor: --lang goes with --xlsx or --pdf\n"),
        (("--lang", "fr", "--pdf", "r.pdf"), "invalid choice: 'fr'"),
        (("--xlsx", "r.xlsx", "--pdf", "r.pdf"), "not allowed with argument"),
    ):
        got = run_cli(*PERIOD, *args, db=sqlite_url, home=tmp_path)
        assert got.code == 2, args
        assert got.out == ""
        assert got.err.count("\n") == 1, got.err
        assert said in got.err
        assert "Traceback" not in got.err
