"""Rebuilds the translation catalogues of the kiosk and the screens: code to .ts, then .qm.

Run ``python -m ui.catalogue`` after changing a visible string, translate
the new entries of ``assets/translations/taboor_ar.ts`` (Qt Linguist, or any
editor), and run it again to compile them.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import PySide6

from ui.errors import CatalogueError
from ui.i18n import CATALOGUE, LANGUAGES, SOURCE_LANGUAGE, TRANSLATIONS_DIR

ROOT = Path(__file__).resolve().parent.parent
#: Every package with visible strings; one catalogue holds them all, so leaving
#: a package out would drop its translations at the next rebuild.
SOURCE_DIRS = (ROOT / "ui", ROOT / "display", ROOT / "kiosk")


def qt_tool(name: str) -> Path:
    """Qt's ``lupdate`` or ``lrelease``, as PySide6 ships it (or on the PATH)."""
    bundled = Path(PySide6.__file__).resolve().parent / name
    if bundled.is_file():
        return bundled
    for candidate in (f"pyside6-{name}", name):
        found = shutil.which(candidate)
        if found:
            return Path(found)
    raise CatalogueError(f"Qt's {name} is not installed (it comes with PySide6)")


def catalogue_paths(lang: str, directory: Path = TRANSLATIONS_DIR) -> tuple[Path, Path]:
    """The ``.ts`` (edited) and ``.qm`` (compiled) files of ``lang``."""
    return directory / f"{CATALOGUE}_{lang}.ts", directory / f"{CATALOGUE}_{lang}.qm"


def extract(ts_file: Path, sources: tuple[Path, ...] = SOURCE_DIRS) -> None:
    """Merge the translatable strings of the code into ``ts_file``, dropping ones no longer used."""
    # Sub-packages too: each screen of display/ is a package of its own.
    files = [str(path) for folder in sources for path in sorted(folder.rglob("*.py"))]
    _run(
        qt_tool("lupdate"),
        "-silent",
        "-no-obsolete",
        "-locations",
        "none",
        *files,
        "-ts",
        str(ts_file),
    )


def compile_catalogue(ts_file: Path, qm_file: Path) -> None:
    """Compile ``ts_file`` into ``qm_file``."""
    _run(qt_tool("lrelease"), "-silent", str(ts_file), "-qm", str(qm_file))


def rebuild(directory: Path = TRANSLATIONS_DIR, *, update_sources: bool = True) -> list[Path]:
    """Extract (unless told not to) and compile every catalogue; returns the ``.qm`` files."""
    compiled = []
    for lang in LANGUAGES:
        if lang == SOURCE_LANGUAGE:
            continue
        ts_file, qm_file = catalogue_paths(lang, directory)
        if update_sources:
            extract(ts_file)
        if not ts_file.is_file():
            raise CatalogueError(f"no catalogue {ts_file}")
        compile_catalogue(ts_file, qm_file)
        compiled.append(qm_file)
    return compiled


def _run(tool: Path, *args: str) -> None:
    # The tool is PySide6's own binary and the arguments are our own paths.
    completed = subprocess.run(  # noqa: S603
        [str(tool), *args], capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        detail = (completed.stderr or completed.stdout).strip().splitlines()
        raise CatalogueError(
            f"{tool.name} failed: {detail[-1] if detail else completed.returncode}"
        )


def main(argv: list[str] | None = None) -> int:
    """Rebuild the catalogues; ``--compile-only`` leaves the ``.ts`` files as they are."""
    parser = argparse.ArgumentParser(prog="python -m ui.catalogue", description=__doc__)
    parser.add_argument(
        "--compile-only", action="store_true", help="compile the .ts files without extracting"
    )
    args = parser.parse_args(argv)
    try:
        for path in rebuild(update_sources=not args.compile_only):
            sys.stdout.write(f"{path}\n")
    except CatalogueError as error:
        sys.stderr.write(f"{error}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
