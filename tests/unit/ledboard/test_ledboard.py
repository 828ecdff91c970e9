"""The LED-board protocol (frames, CRC, the worked example), the serial driver and its settings."""

from __future__ import annotations

import binascii
from collections.abc import Callable
from pathlib import Path

import pytest
import serial
from hypothesis import given, settings
from hypothesis import strategies as st

from centre.config import CentreConfig
from centre.errors import BadInput, UnknownCounter
from ledboard import (
    BoardDidNotAnswer,
    BoardLineUri,
    Command,
    Frame,
    FrameError,
    FrameReader,
    LineLost,
    NakReason,
    SerialLedBoard,
    ack_frame,
    board_addresses,
    brightness_frame,
    clear_frame,
    crc16,
    decode_frame,
    encode_frame,
    flash_frame,
    nak_frame,
    parse_board_uri,
    ping_frame,
    show_frame,
)

DOC = Path(__file__).resolve().parents[3] / "docs" / "led-board-protocol.md"
PRINTABLE = st.characters(min_codepoint=0x20, max_codepoint=0x7E)

frames = st.builds(
    Frame,
    address=st.integers(0, 99),
    command=st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    data=st.text(PRINTABLE, max_size=255),
)


def hex_bytes(text: str) -> bytes:
    return bytes.fromhex(text)


# -- the worked example of docs/led-board-protocol.md --------------------------

WORKED_SHOW = "02 30 35 53 30 36 41 30 32 33 3E 35 45 35 46 32 03"
WORKED_FLASH = "02 30 35 46 30 32 31 30 39 46 46 38 03"
WORKED_PING = "02 30 35 50 30 30 45 30 34 36 03"
WORKED_ACK = "02 30 35 41 30 31 50 42 46 46 39 03"
WORKED_CLEAR_ALL = "02 30 30 43 30 30 34 36 33 30 03"


def test_the_crc_is_ccitt_false_with_its_check_value() -> None:
    assert crc16(b"123456789") == 0x29B1
    assert "0x29B1" in DOC.read_text(encoding="utf-8")


def test_the_worked_example_of_the_document() -> None:
    doc = DOC.read_text(encoding="utf-8")
    examples = [
        (show_frame(5, "A023>5"), WORKED_SHOW),
        (flash_frame(5, 10), WORKED_FLASH),
        (ping_frame(5), WORKED_PING),
        (ack_frame(5, Command.PING), WORKED_ACK),
        (clear_frame(0), WORKED_CLEAR_ALL),
    ]
    for frame, shown in examples:
        assert shown in doc  # the document and the code say the same bytes
        assert encode_frame(frame) == hex_bytes(shown)
        assert decode_frame(hex_bytes(shown)) == frame
    assert crc16(b"05S06A023>5") == 0xE5F2


def test_the_crc_register_table_of_the_worked_example() -> None:
    running, register = [], 0xFFFF
    for byte in b"05S06A023>5":
        register = binascii.crc_hqx(bytes((byte,)), register)
        running.append(f"{register:04X}")
    table = "crc  " + " ".join(running)
    assert table == "crc  D7A3 7E6C 99CF EBC3 D9D0 D2B1 6C6C D73B 86AA 8CD3 E5F2"
    assert table in DOC.read_text(encoding="utf-8")


# -- encoding and decoding -------------------------------------------------------


@given(frames)
@settings(deadline=None)
def test_a_frame_decodes_to_itself(frame: Frame) -> None:
    raw = encode_frame(frame)
    assert decode_frame(raw) == frame
    assert raw[0] == 0x02
    assert raw[-1] == 0x03
    assert all(0x20 <= byte <= 0x7E for byte in raw[1:-1])


@given(st.lists(frames, max_size=6), st.lists(st.binary(max_size=40), min_size=7, max_size=7))
@settings(deadline=None)
def test_the_reader_finds_every_frame_between_noise_fed_in_pieces(
    sent: list[Frame], noise: list[bytes]
) -> None:
    stream = noise[0] + b"".join(
        encode_frame(f) + gap for f, gap in zip(sent, noise[1 : len(sent) + 1], strict=True)
    )
    reader = FrameReader()
    found: list[Frame | FrameError] = []
    for start in range(0, len(stream), 7):
        found += reader.feed(stream[start : start + 7])
    # Noise may look like the start of a frame, or like a frame failing its checks, never
    # like one passing them (not by chance), and it never spoils the frame after it.
    assert [f for f in found if isinstance(f, Frame)] == sent


@given(frames, st.data())
@settings(deadline=None)
def test_any_changed_byte_is_caught(frame: Frame, data: st.DataObject) -> None:
    raw = bytearray(encode_frame(frame))
    index = data.draw(st.integers(0, len(raw) - 1))
    raw[index] = data.draw(st.integers(0, 255).filter(lambda b: b != raw[index]))
    with pytest.raises(FrameError):
        decode_frame(bytes(raw))


@given(frames)
@settings(deadline=None)
def test_a_lost_byte_is_caught(frame: Frame) -> None:
    raw = encode_frame(frame)
    for index in range(len(raw)):
        with pytest.raises(FrameError):
            decode_frame(raw[:index] + raw[index + 1 :])


@pytest.mark.parametrize(
    "frame",
    [
        Frame(100, "S", "A001"),
        Frame(-1, "S", "A001"),
        Frame(5, "s", "A001"),
        Frame(5, "SS", "A001"),
        Frame(5, "", ""),
        Frame(5, "S", "A001→5"),
        Frame(5, "S", "A\x03"),
        Frame(5, "S", "x" * 256),
    ],
)
def test_what_cannot_be_a_frame_is_refused(frame: Frame) -> None:
    with pytest.raises(FrameError):
        encode_frame(frame)


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x0205S06A023>5E5F2",  # no ETX
        b"05S06A023>5E5F2\x03",  # no STX
        b"\x0205S06A023>5e5f2\x03",  # lower-case hex would hide a changed letter
        b"\x0205S06A023>5E5F3\x03",  # wrong CRC
        b"\x0205S07A023>5E5F2\x03",  # wrong length
        b"\x02 5S06A023>5E5F2\x03",  # address not digits
        b"\x0205s06A023>5E5F2\x03",  # command not upper-case
        b"\x0205S06A023\x1b5E5F2\x03",  # a control byte inside
    ],
)
def test_a_bad_frame_says_why(raw: bytes) -> None:
    with pytest.raises(FrameError):
        decode_frame(raw)


def test_a_frame_cut_short_by_the_next_start_is_dropped() -> None:
    whole = encode_frame(show_frame(3, "B007>3"))
    found = FrameReader().feed(whole[:6] + whole)
    assert found == [show_frame(3, "B007>3")]


def test_a_frame_without_an_end_is_given_up() -> None:
    reader = FrameReader()
    found = reader.feed(b"\x02" + b"0" * 400)
    assert len(found) == 1
    assert isinstance(found[0], FrameError)
    assert reader.feed(encode_frame(clear_frame(1))) == [clear_frame(1)]


def test_a_garbled_frame_is_reported_and_the_next_one_read() -> None:
    bad = bytearray(encode_frame(show_frame(2, "A001>2")))
    bad[7] ^= 0x01
    found = FrameReader().feed(bytes(bad) + encode_frame(clear_frame(2)))
    assert isinstance(found[0], FrameError)
    assert found[1:] == [clear_frame(2)]


def test_command_frames_check_their_data() -> None:
    assert flash_frame(7, 0) == Frame(7, "F", "00")
    assert brightness_frame(0, 9) == Frame(0, "B", "9")
    assert nak_frame(4, NakReason.BAD_DATA) == Frame(4, "N", "D")
    refused: list[Callable[[], Frame]] = [
        lambda: show_frame(5, "x" * 65),
        lambda: show_frame(5, "A001\n"),
        lambda: show_frame(100, "A001"),
        lambda: flash_frame(5, 100),
        lambda: flash_frame(5, -1),
        lambda: brightness_frame(5, 0),
        lambda: brightness_frame(5, 10),
    ]
    for bad in refused:
        with pytest.raises(FrameError):
            bad()


# -- the line's URI ----------------------------------------------------------------


def test_board_uri() -> None:
    assert parse_board_uri("serial:/dev/ttyUSB0?baudrate=19200") == BoardLineUri(
        "/dev/ttyUSB0", 19200
    )
    two_way = parse_board_uri("serial:/dev/ttyS1?ack=1&timeout=0.5")
    assert two_way == BoardLineUri("/dev/ttyS1", 9600, ack=True, reply_timeout_s=0.5)
    assert str(two_way) == "serial:/dev/ttyS1"
    assert parse_board_uri(" serial:/dev/ttyS1?ack=no ").ack is False


@pytest.mark.parametrize(
    "text",
    [
        "",
        "/dev/ttyUSB0",
        "tcp:board:9100",
        "serial:",
        "serial:/dev/x?baudrate=fast",
        "serial:/dev/x?baudrate=0",
        "serial:/dev/x?parity=E",
        "serial:/dev/x?ack=maybe",
        "serial:/dev/x?timeout=0",
        "serial:?baudrate=9600",
    ],
)
def test_a_bad_board_uri_is_bad_input_naming_itself(text: str) -> None:
    with pytest.raises(BadInput, match="bad LED board port"):
        parse_board_uri(text)


# -- which board is whose --------------------------------------------------------


def test_every_numbered_counter_by_default(config: CentreConfig) -> None:
    assert board_addresses(config, None) == {str(n): n for n in range(1, 9)}


def test_named_counters_and_explicit_addresses(config: CentreConfig) -> None:
    assert board_addresses(config, ["5", " 3 ", "7=12"]) == {"5": 5, "3": 3, "7": 12}


def test_an_unknown_counter_is_named(config: CentreConfig) -> None:
    with pytest.raises(UnknownCounter, match="no counter '42'"):
        board_addresses(config, ["1", "42"])


@pytest.mark.parametrize(
    ("counters", "message"),
    [
        (["1", "1"], "named twice"),
        (["1", "2=1"], "both have board address 1"),
        (["1=100"], "not 1 to 99"),
        (["1=0"], "not 1 to 99"),
        (["1=x"], "not 1 to 99"),
        ([], "at least one counter"),
    ],
)
def test_a_bad_list_of_counters(config: CentreConfig, counters: list[str], message: str) -> None:
    with pytest.raises(BadInput, match=message):
        board_addresses(config, counters)


def test_a_counter_without_a_number_needs_an_address(config: CentreConfig) -> None:
    named = [config.counters[0].model_copy(update={"id": "VIP"}), *config.counters[1:]]
    centre = config.model_copy(update={"counters": named})
    with pytest.raises(BadInput, match="VIP=NN"):
        board_addresses(centre, ["VIP"])
    assert board_addresses(centre, ["VIP=20"]) == {"VIP": 20}
    assert "VIP" not in board_addresses(centre, None)


# -- the driver over a scripted port ------------------------------------------------


class ScriptedPort:
    """A serial port that keeps what is written and answers as a board is told to."""

    def __init__(self, answers: list[bytes] | None = None, *, broken: bool = False) -> None:
        self.written: list[bytes] = []
        self._answers = answers or []
        self._pending = b""
        self.broken = broken
        self.closed = False

    def write(self, data: bytes, /) -> int:
        if self.broken:
            raise serial.SerialException("write failed: [Errno 5] Input/output error")
        self.written.append(data)
        if self._answers:
            self._pending += self._answers.pop(0)
        return len(data)

    def read(self, size: int = 1, /) -> bytes:
        data, self._pending = self._pending[:size], self._pending[size:]
        return data

    def reset_input_buffer(self) -> None:
        self._pending = b""

    def close(self) -> None:
        self.closed = True


def driver(port: ScriptedPort, uri: str = "serial:/dev/board?timeout=0.05") -> SerialLedBoard:
    return SerialLedBoard(uri, opener=lambda _uri: port)


def test_a_write_only_line_sends_the_exact_bytes_and_waits_for_nothing() -> None:
    port = ScriptedPort()
    board = driver(port)
    board.show(5, "A023>5")
    board.flash(5, 10)
    board.clear(0)
    board.set_brightness(5, 3)
    assert board.ping(5) is None  # nobody can say
    assert port.written == [
        hex_bytes(WORKED_SHOW),
        hex_bytes(WORKED_FLASH),
        hex_bytes(WORKED_CLEAR_ALL),
        encode_frame(brightness_frame(5, 3)),
        hex_bytes(WORKED_PING),
    ]
    board.close()
    board.close()
    assert port.closed


def test_a_two_way_line_waits_for_the_boards_ack() -> None:
    noise_then_ack = b"\x00\xff" + encode_frame(ack_frame(5, "S"))
    port = ScriptedPort([noise_then_ack, encode_frame(ack_frame(5, "P"))])
    board = driver(port, "serial:/dev/board?ack=1&timeout=0.05")
    board.show(5, "A023>5")
    assert board.ping(5) is True
    assert len(port.written) == 2


def test_an_answer_from_another_board_or_our_own_echo_is_not_the_ack() -> None:
    echo = encode_frame(show_frame(5, "A023>5")) + encode_frame(ack_frame(6, "S"))
    port = ScriptedPort([echo, encode_frame(ack_frame(5, "S"))])
    board = driver(port, "serial:/dev/board?ack=1&timeout=0.05")
    board.show(5, "A023>5")
    assert len(port.written) == 2  # the first try got no answer of board 5's


def test_a_silent_board_is_tried_three_times() -> None:
    port = ScriptedPort()
    board = driver(port, "serial:/dev/board?ack=1&timeout=0.02")
    with pytest.raises(BoardDidNotAnswer, match=r"board 5 .* no answer"):
        board.show(5, "A023>5")
    assert len(port.written) == 3
    assert board.ping(5) is False


def test_a_garbled_frame_is_sent_again_and_bad_data_is_not() -> None:
    garbled = encode_frame(nak_frame(5, NakReason.GARBLED))
    port = ScriptedPort([garbled, encode_frame(ack_frame(5, "S"))])
    driver(port, "serial:/dev/board?ack=1&timeout=0.05").show(5, "A023>5")
    assert len(port.written) == 2
    refused = ScriptedPort([encode_frame(nak_frame(5, NakReason.BAD_DATA))])
    with pytest.raises(BoardDidNotAnswer, match="NAK D"):
        driver(refused, "serial:/dev/board?ack=1&timeout=0.05").show(5, "A023>5")
    assert len(refused.written) == 1


def test_nobody_answers_a_broadcast() -> None:
    port = ScriptedPort()
    driver(port, "serial:/dev/board?ack=1&timeout=5").clear(0)
    assert port.written == [hex_bytes(WORKED_CLEAR_ALL)]


def test_a_line_that_fails_is_lost() -> None:
    board = driver(ScriptedPort(broken=True))
    with pytest.raises(LineLost, match="Input/output error"):
        board.show(1, "A001>1")
    board.close()
    with pytest.raises(LineLost, match="closed"):
        board.show(1, "A001>1")


def test_a_line_that_cannot_be_opened_is_lost(tmp_path: Path) -> None:
    with pytest.raises(LineLost, match="cannot open"):
        SerialLedBoard(f"serial:{tmp_path / 'no-such-device'}")
