"""Draw the demo centre's sample ticket with the virtual printer, for the README and for eyes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from printer import PROFILES, preview_image, sample_slip

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=REPO / "assets" / "samples")
    parser.add_argument("--profile", action="append", choices=sorted(PROFILES), default=None)
    parser.add_argument("--lang", choices=("ar", "en"), default="ar")
    parser.add_argument("--copy", action="store_true", help="mark the ticket as a reprint")
    arguments = parser.parse_args()
    arguments.out.mkdir(parents=True, exist_ok=True)
    suffix = "" if arguments.lang == "ar" else f"-{arguments.lang}"
    for name in arguments.profile or ["80mm"]:
        path = arguments.out / f"ticket-{name}{suffix}.png"
        preview_image(sample_slip(lang=arguments.lang, copy=arguments.copy), PROFILES[name]).save(
            path
        )
        sys.stdout.write(f"{path}\n")


if __name__ == "__main__":
    main()
