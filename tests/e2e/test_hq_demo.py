"""``taboor hq --demo`` as a person runs it: three centres, each its own server, and head office.

The demo plays one past day per centre (``--history-days 1``, to keep it
short), starts every part and prints head office's address; Ctrl-C stops them
all, exiting 0 with nothing left running.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest

from tests.live_server import free_socket

#: Long enough on a loaded test machine: the first run plays the past days.
PATIENCE = 240.0


def _state(url: str) -> dict[str, object] | None:
    try:
        answer = httpx.get(f"{url}/api/state", timeout=5)
    except httpx.HTTPError:
        return None
    return answer.json() if answer.status_code == 200 else None


@pytest.mark.slow
def test_the_demo_brings_up_three_centres_watched_live_and_stops_cleanly(tmp_path: Path) -> None:
    with free_socket() as probe:
        port = int(probe.getsockname()[1])
    env = {**os.environ, "TABOOR_DEMO_HOME": str(tmp_path / "demo")}
    env.pop("TABOOR_CONFIG", None)
    env.pop("TABOOR_DB", None)
    command = ["hq", "--demo", "--port", str(port), "--every", "0.5", "--history-days", "1"]
    process = subprocess.Popen(
        [sys.executable, "-m", "taboor", *command],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + PATIENCE
        state = None
        while time.monotonic() < deadline and process.poll() is None:
            state = _state(url)
            centres = state["centres"] if state else []
            assert isinstance(centres, list)
            if len(centres) == 3 and all(c["state"] == "live" for c in centres):
                break
            time.sleep(0.5)
        assert state is not None, "head office never answered"
        centres = state["centres"]
        assert isinstance(centres, list)
        assert [c["id"] for c in centres] == ["traffic-dana", "npra-isa-town", "cid-south"]
        assert all(c["state"] == "live" for c in centres), centres
        today = date.fromisoformat(str(state["at"])[:10])
        period = httpx.get(
            f"{url}/api/period",
            params={"from": (today - timedelta(days=7)).isoformat(), "to": today.isoformat()},
            timeout=60,
        ).json()
        visitors = {s["centre"]: (s["total"] or {}).get("visitors") for s in period["centres"]}
        assert all(isinstance(n, int) and n > 0 for n in visitors.values()), period
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=PATIENCE)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, output
    assert f"Head office: {url}/" in output
    assert "Traceback" not in output
    pids = [int(pid) for pid in re.findall(r"server pid (\d+)", output)]
    assert len(pids) == 3
    for pid in pids:
        assert (
            not Path(f"/proc/{pid}").exists()
            or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
        )
