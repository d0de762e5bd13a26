"""A throw-away PostgreSQL server for the store tests (and .ci/run).

    python tests/pg_server.py start DIR   # prints the URL; the server listens on 127.0.0.1
    python tests/pg_server.py stop DIR

``initdb`` into DIR with trust authentication, ``pg_ctl start`` on a free
port, database ``zwgk_test``. Run as root (CI), the server runs as the
``postgres`` user (PostgreSQL refuses root). The binaries are those of the
Debian ``postgresql`` package (/usr/lib/postgresql/*/bin).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path


class NoServer(RuntimeError):
    """No PostgreSQL server could be started here (the message says why)."""


def bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


def _run(cmd: list[str], what: str) -> None:
    p = subprocess.run(_as_server_user(cmd), capture_output=True, text=True)
    if p.returncode != 0:
        raise NoServer(f"{what} failed (exit {p.returncode}): {(p.stderr or p.stdout).strip()[-800:]}")


def start(folder: str | os.PathLike) -> str:
    """Start a server with its data in ``folder``; returns its postgresql+psycopg URL."""
    bins = bin_dir()
    if bins is None:
        raise NoServer("no PostgreSQL server binaries (apt-get install postgresql)")
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    _run([str(bins / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
          "--locale", "C.UTF-8" if _has_c_utf8() else "C"], "initdb")
    port = _free_port()
    opts = f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={root} -c fsync=off"
    _run([str(bins / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-o", opts, "-w", "-t", "60",
          "start"], "pg_ctl start")
    _run([str(bins / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "zwgk_test"], "createdb")
    (root / "port").write_text(str(port))
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/zwgk_test"


def _has_c_utf8() -> bool:
    p = subprocess.run(["locale", "-a"], capture_output=True, text=True)
    return any(x.lower() in ("c.utf8", "c.utf-8") for x in p.stdout.split())


def stop(folder: str | os.PathLike) -> None:
    bins = bin_dir()
    data = Path(folder) / "data"
    if bins is None or not data.is_dir():
        return
    subprocess.run(_as_server_user([str(bins / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
                   capture_output=True)


if __name__ == "__main__":
    action, where = sys.argv[1], sys.argv[2]
    if action == "start":
        try:
            print(start(where))
        except NoServer as exc:
            print(f"PostgreSQL: {exc}", file=sys.stderr)
            sys.exit(1)
    else:
        stop(where)
