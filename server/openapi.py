"""Writes the centre server's OpenAPI document to server/openapi.json (python -m server.openapi).

The file is kept in the repository for integrators; a test checks it is the
document the server serves (``GET /api/v1/openapi.json``), so run this after
changing a route.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from server.app import openapi_document

DOCUMENT = Path(__file__).resolve().parent / "openapi.json"


def render() -> str:
    """The document as the file keeps it."""
    return json.dumps(openapi_document(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main() -> int:
    """Write the document; ``--check``: exit 1 if the file is out of date."""
    text = render()
    if "--check" in sys.argv[1:]:
        current = DOCUMENT.read_text(encoding="utf-8") if DOCUMENT.exists() else ""
        if current != text:
            sys.stderr.write(f"{DOCUMENT} is out of date: run python -m server.openapi\n")
            return 1
        return 0
    DOCUMENT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
