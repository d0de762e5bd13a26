"""bench/serve_bench.py stays runnable (a tiny round, one repeat, nothing written). Not a timing test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_serve_benchmark_runs_on_a_small_round():
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "serve_bench.py"), "--units", "20", "--repeat", "1",
                        "--no-write"], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert "冷启动" in r.stdout and "20 个单位：排名表第 1 页" in r.stdout
