"""A round store of the README's loop demo, and `zwgk serve` running on it in this process.

``demo_store(folder)``: sample_units assessed and recorded as 2026年第一轮 (as of 2026-11-20),
a recheck of a copy with two problems fixed recorded as 2026年第一轮复核 (as of 2026-12-01,
10 working days to rectify), and the urges of 2026-12-18 recorded as a 催办 round; the CLI's
own output folders are kept beside the store for the tests to compare with.

``running_server(app)``: uvicorn on a free 127.0.0.1 port in a thread, stopped on exit.
"""

from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from click.testing import CliRunner

from scoring.cli import main
from test_loop_demo import SAMPLE, fixed_copy

ROUND1, RECHECK = "2026年第一轮", "2026年第一轮复核"
URGE_DAY = "2026-12-18"


def zwgk(*args: str) -> str:
    r = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r.output


def demo_store(folder: Path) -> str:
    db = str(folder / "zwgk.db")
    zwgk("assess", str(SAMPLE), "--as-of", "2026-11-20", "--record", ROUND1, "--db", db,
         "--out", str(folder / "round1"))
    zwgk("recheck", str(fixed_copy(folder)), "--baseline", ROUND1, "--as-of", "2026-12-01",
         "--rectify-workdays", "10", "--record", RECHECK, "--db", db, "--out", str(folder / "recheck"))
    zwgk("overdue", "--as-of", URGE_DAY, "--record", "--db", db, "--out", str(folder / "urge"))
    return db


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(app):
    """The base URL of ``app`` served by uvicorn on 127.0.0.1."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
