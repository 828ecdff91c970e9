"""The hall and counter displays in a browser: their pages, and the hall's paperless QR as SVG.

A page needs no token to load: it is the same bytes for every display, and
its script keeps the device's token (spent from a one-time pairing link,
CONTRACTS.md section 6) and asks the device API with it. The QR is drawn
here, so a television's browser needs no QR library.
"""

from __future__ import annotations

from typing import Annotated

import qrcode
from fastapi import APIRouter, Depends, Path
from fastapi.responses import Response
from qrcode.image.svg import SvgPathFillImage

from centre import phones
from server.access import Serving, known_query
from server.errors import ApiError
from server.routes.contract import API
from server.routes.public import NO_STORE, HallOrKiosk, page_response

#: The white margin a reader needs around a symbol, in modules (the standard's four).
QUIET_MODULES = 4
SVG_TYPE = "image/svg+xml"

pages = APIRouter(include_in_schema=False)
router = APIRouter(prefix=API, tags=["screens"], dependencies=[Depends(known_query)])


@pages.get("/display/hall")
def hall_page() -> Response:
    """The hall display (its script pairs, keeps the token and follows the centre)."""
    return page_response("display_hall", 200)


@pages.get("/display/counter/{counter}")
def counter_page(counter: Annotated[str, Path(max_length=16)], server: Serving) -> Response:
    """The display over a counter, or the not-found page for a counter the centre lacks."""
    if not any(known.id == counter for known in server.config.counters):
        return page_response("not_found", 404)
    return page_response("display_counter", 200)


@router.get(
    "/hall/join.svg",
    response_class=Response,
    responses={200: {"content": {SVG_TYPE: {"schema": {"type": "string"}}}}},
)
def hall_code_svg(caller: HallOrKiosk) -> Response:
    """The paperless-ticket address the hall shows now, as an SVG QR (``/hall/join`` says
    when it expires)."""
    server = caller.server
    found = phones.join_link(server.config, server.secret(), server.clock.now())
    if found is None:
        raise ApiError(404, "the centre has no public address ([public] url)", "public_off")
    return Response(qr_svg(found.url), media_type=SVG_TYPE, headers=NO_STORE)


def qr_svg(text: str) -> bytes:
    """A QR code of ``text``: one black path on white, its quiet zone included, that scales
    to any size (``viewBox`` only)."""
    code = qrcode.QRCode(
        border=QUIET_MODULES,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        image_factory=SvgPathFillImage,
    )
    code.add_data(text)
    code.make(fit=True)
    image = code.make_image()
    svg: bytes = image.to_string(encoding="utf-8")
    return svg


__all__ = ["pages", "qr_svg", "router"]
