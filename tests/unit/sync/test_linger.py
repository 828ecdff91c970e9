"""The central simulator's gentle close: a refusal sent before a body was read reaches the
client, over real loopback TCP."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator

import pytest

from sync.central_sim import LINGER_SECONDS, _linger

REFUSAL = b"HTTP/1.1 411 Length Required\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    """A connected loopback TCP pair: (the server's end, the client's end)."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        client = socket.create_connection(listener.getsockname(), timeout=10)
        server, _ = listener.accept()
    with server, client:
        yield server, client


def answered(client: socket.socket) -> bytes:
    """Everything the client reads until the server's end closes."""
    got = b""
    while data := client.recv(65536):
        got += data
    return got


@pytest.mark.parametrize("close", [_linger, socket.socket.close], ids=["linger", "plain"])
def test_the_refusal_reaches_a_client_still_sending_its_body(
    pair: tuple[socket.socket, socket.socket], close: Callable[[socket.socket], None]
) -> None:
    server, client = pair
    client.sendall(b"POST /v1/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")
    client.sendall(b"4000\r\n" + b"x" * 0x4000)  # the body, unread by the server
    server.sendall(REFUSAL)
    closing = threading.Thread(target=close, args=(server,))
    closing.start()
    if close is _linger:
        client.sendall(b"\r\n0\r\n\r\n")  # the rest comes while the server lingers
        assert answered(client) == REFUSAL
        client.shutdown(socket.SHUT_WR)  # done: the server stops lingering at once
    else:
        with pytest.raises(ConnectionResetError):
            answered(client)
    closing.join(timeout=LINGER_SECONDS * 5)
    assert not closing.is_alive()
