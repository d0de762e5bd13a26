"""`make bench`, part two: assess at scale (issue 16) — cache, partitions, workers, check --unit.

    .venv/bin/python bench/scale_bench.py [--sizes 300,3000] [--large] [--repeat 2]

Per size, on the batch of bench/make_batch.py (cached under bench/out/, the same as bench/run.py),
each command in a fresh process, its whole process tree's memory (summed PSS) sampled every 50 ms:

- floor: bare ``pandas.read_csv`` of the same CSV files, all columns as text, C engine;
- (a) ``zwgk assess --no-reports`` first run (the cache removed before: CSV read, checked, cache
  written) and second run (read from the cache), each ÷ the floor;
- (b) peak memory (the sum over the process tree) of the second run, and of the first;
- (c) time per evidence row of the second and the first run over the sizes;
- (d) ``--workers 2`` ÷ ``--workers 1``, both on the cache, at 3,000 units (or the largest size);
- (e) the whole ``zwgk check --unit`` command on the largest batch, cache warm.

Runs alternate and the fastest of ``--repeat`` is kept (the machine is shared). The results go
into docs/BENCHMARKS.md between ``<!-- bench:scale:start -->`` and ``<!-- bench:scale:end -->``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import click

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from run import AS_OF, PY, ROOT, batch_for, zwgk  # noqa: E402

START, END = "<!-- bench:scale:start -->", "<!-- bench:scale:end -->"
TARGETS = {"a_first": 2.0, "a_second": 0.5, "b_gib": 2.0, "b_growth": 1.3, "c": 0.20, "d": 0.65, "e": 5.0}

FLOOR = textwrap.dedent("""
    import sys, pathlib
    import pandas as pd
    for f in sorted(pathlib.Path(sys.argv[1]).glob("*.csv")):
        pd.read_csv(f, engine="c", dtype=str, keep_default_na=False)
""")


def measure(cmd: list[str]) -> dict:
    """Wall time and peak memory of the command's whole process tree, sampled every 50 ms: the sum of each
    process's proportional set size (PSS: a page the forked workers share with the parent counts once)."""
    import psutil

    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    proc = psutil.Process(p.pid)
    peak = 0
    while p.poll() is None:
        try:
            tree = [proc, *proc.children(recursive=True)]
            peak = max(peak, sum(_rss(x) for x in tree))
        except psutil.Error:
            pass
        time.sleep(0.05)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)   # the command and every worker it reaped
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    err = p.stderr.read().decode() if p.stderr else ""
    if p.returncode != 0:
        raise click.ClickException(f"命令失败（退出码 {p.returncode}）：{' '.join(cmd)}\n{err[-2000:]}")
    return {"wall": wall, "rss": peak, "cpu": cpu}


def _rss(proc) -> int:
    try:
        return proc.memory_full_info().pss
    except Exception:  # noqa: BLE001 - gone between listing and reading
        return 0


def bench_size(folder: Path, info: dict, work: Path, repeat: int) -> dict:
    out, cache = work / f"scale-out-{info['units']}", work / f"scale-cache-{info['units']}"
    base = [*zwgk(), "assess", str(folder), "--as-of", AS_OF, "--out", str(out), "--no-reports",
            "--cache-dir", str(cache)]
    floors, firsts, seconds = [], [], []
    for _ in range(repeat):
        floors.append(measure([PY, "-c", FLOOR, str(folder)]))
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
        firsts.append(measure(base))
        shutil.rmtree(out, ignore_errors=True)
        seconds.append(measure(base))
    floor = min(r["wall"] for r in floors)
    first, second = min(r["wall"] for r in firsts), min(r["wall"] for r in seconds)
    cpu = {k: min(r["cpu"] for r in runs) for k, runs in (("floor", floors), ("first", firsts), ("second", seconds))}
    rows = info["evidence_rows"]
    return {"units": info["units"], "rows": rows, "csv_bytes": info["csv_bytes"], "floor_s": floor,
            "first_s": first, "second_s": second, "first_ratio": first / floor, "second_ratio": second / floor,
            "first_rss": max(r["rss"] for r in firsts), "second_rss": max(r["rss"] for r in seconds),
            "floor_rss": max(r["rss"] for r in floors),
            "first_per_mrow": first / rows * 1e6, "second_per_mrow": second / rows * 1e6,
            "runs": {"floor": [r["wall"] for r in floors], "first": [r["wall"] for r in firsts],
                     "second": [r["wall"] for r in seconds]},
            "cpu": cpu, "cache": str(cache), "out": str(out)}


def bench_workers(folder: Path, r: dict, repeat: int) -> dict:
    base = [*zwgk(), "assess", str(folder), "--as-of", AS_OF, "--out", r["out"], "--no-reports",
            "--cache-dir", r["cache"]]
    one, two = [], []
    for _ in range(repeat):
        one.append(measure([*base, "--workers", "1"])["wall"])
        two.append(measure([*base, "--workers", "2"])["wall"])
    return {"units": r["units"], "w1_s": min(one), "w2_s": min(two), "ratio": min(two) / min(one),
            "w1_runs": one, "w2_runs": two}


def bench_check(folder: Path, r: dict, repeat: int) -> dict:
    cmd = [*zwgk(), "check", str(folder), "--unit", "DW00001", "--as-of", AS_OF, "--json", "--cache-dir", r["cache"]]
    runs = [measure(cmd) for _ in range(repeat)]
    return {"units": r["units"], "wall": min(x["wall"] for x in runs), "rss": max(x["rss"] for x in runs)}


def _mib(b: float) -> str:
    return f"{b / 2**20:,.0f} MiB"


def verdict(ok: bool) -> str:
    return "达标" if ok else "未达标"


def render(m: dict) -> str:
    sizes = m["sizes"]
    lines = [START, "## 大批量评分（分区、底稿缓存、多进程，zwgk assess / check）", "",
             f"测量时间：{m['when']}；命令：`{m['cmdline']}`（`make bench` 运行它）；{m['cores']} 核，"
             f"开始时 1 分钟平均负载 {m['load']:.2f}；Python {m['python']}，代码版本 {m['commit']}。"
             "每项交替运行、取最快；内存为整个进程树（主进程与工作进程的 PSS 之和，共享的页只计一次）每 50 毫秒采样的峰值。", "",
             "基准（floor）：`pandas.read_csv(f, engine=\"c\", dtype=str, keep_default_na=False)` 读同一批 CSV"
             "（全部列按文本读）。第一次运行：先删除缓存，读 CSV、检查、写缓存、评分；第二次运行：读缓存、评分。"
             "两者都是 `zwgk assess --no-reports`，默认每核一个工作进程、每分区 500 个单位。", "",
             "| 单位数 | 底稿行数 | CSV | read_csv | 第一次 assess | 第二次 assess（缓存） | (a) 第一次 ÷ read_csv | "
             "(a) 第二次 ÷ read_csv | CPU 秒 read_csv / 第一次 / 第二次 | (b) 峰值内存 第一次 / 第二次 | "
             "(c) 每百万行 第一次 / 第二次 |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in sizes:
        lines.append(f"| {r['units']:,} | {r['rows']:,} | {_mib(r['csv_bytes'])} | {r['floor_s']:.1f} 秒 | "
                     f"{r['first_s']:.1f} 秒 | {r['second_s']:.1f} 秒 | **{r['first_ratio']:.2f}×** | "
                     f"**{r['second_ratio']:.2f}×** | {r['cpu']['floor']:.1f} / {r['cpu']['first']:.1f} / "
                     f"{r['cpu']['second']:.1f} | {_mib(r['first_rss'])} / {_mib(r['second_rss'])} | "
                     f"{r['first_per_mrow']:.2f} / {r['second_per_mrow']:.2f} 秒 |")
    lines += ["", "| 目标 | 测得 | 目标值 | 结论 |", "|---|---|---|---|"]
    for r in sizes:
        lines.append(f"| (a) 第一次 ÷ read_csv，{r['units']:,} 个单位 | {r['first_ratio']:.2f}× | ≤ 2.0× | "
                     f"{verdict(r['first_ratio'] <= TARGETS['a_first'])} |")
        lines.append(f"| (a) 第二次 ÷ read_csv，{r['units']:,} 个单位 | {r['second_ratio']:.2f}× | ≤ 0.5× | "
                     f"{verdict(r['second_ratio'] <= TARGETS['a_second'])} |")
    big = sizes[-1]
    ref = next((r for r in sizes if r["units"] == 3000), None)
    gib = big["second_rss"] / 2**30
    note = "" if big["units"] >= 30000 else "（目标针对 30,000 个单位，本次未测）"
    lines.append(f"| (b) 峰值内存（第二次），{big['units']:,} 个单位{note} | {gib:.2f} GiB | ≤ 2 GiB | "
                 f"{verdict(gib <= 2) if not note else '—'} |")
    if ref is not None and big is not ref:
        g = big["second_rss"] / ref["second_rss"]
        lines.append(f"| (b) 峰值内存 {big['units']:,} ÷ 3,000 个单位（第二次） | {g:.2f}× | ≤ 1.3× | {verdict(g <= 1.3)} |")
    for key, what in (("second_per_mrow", "第二次"), ("first_per_mrow", "第一次")):
        vals = [r[key] for r in sizes]
        mid = sorted(vals)[len(vals) // 2]
        dev = max(abs(v / mid - 1) for v in vals)
        names = " / ".join(f"{r['units']:,}" for r in sizes)
        lines.append(f"| (c) 每行用时偏离中位数（{what}，{names} 个单位） | "
                     f"{dev:.0%} | ± 20% | {verdict(dev <= TARGETS['c'])} |")
    w = m.get("workers")
    if w:
        lines.append(f"| (d) --workers 2 ÷ --workers 1（缓存，{w['units']:,} 个单位） | {w['w2_s']:.1f} 秒 ÷ "
                     f"{w['w1_s']:.1f} 秒 = {w['ratio']:.2f}× | ≤ 0.65× | {verdict(w['ratio'] <= TARGETS['d'])} |")
    c = m.get("check")
    if c:
        note = "" if c["units"] >= 30000 else "（目标针对 30,000 个单位）"
        lines.append(f"| (e) 整条 `zwgk check --unit`（{c['units']:,} 个单位，缓存已建）{note} | {c['wall']:.1f} 秒，"
                     f"峰值 {_mib(c['rss'])} | ≤ 5 秒 | {verdict(c['wall'] <= TARGETS['e'])} |")
    lines += ["", "各次用时（秒）：" + "；".join(
        f"{r['units']:,} 个单位 read_csv {', '.join(f'{x:.1f}' for x in r['runs']['floor'])}，"
        f"第一次 {', '.join(f'{x:.1f}' for x in r['runs']['first'])}，"
        f"第二次 {', '.join(f'{x:.1f}' for x in r['runs']['second'])}" for r in sizes)
        + (f"；--workers 1 {', '.join(f'{x:.1f}' for x in w['w1_runs'])}，--workers 2 "
           f"{', '.join(f'{x:.1f}' for x in w['w2_runs'])}" if w else "") + "。", "",
        "未达标项的原因见 docs/SCALE.md「测得的数字」。", END]
    return "\n".join(lines)


def write_doc(doc: Path, section: str) -> None:
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    doc.write_text(text, encoding="utf-8")


@click.command()
@click.option("--sizes", default="300,3000", show_default=True, help="要测量的单位数，逗号分隔")
@click.option("--large", is_flag=True, help="另测 30000 个单位（生成约 6 GiB 的 CSV，需要很长时间）")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--repeat", type=click.IntRange(1), default=2, show_default=True)
@click.option("--work", type=click.Path(file_okay=False), default=str(BENCH / "out"), show_default=True)
@click.option("--doc", type=click.Path(dir_okay=False), default=str(ROOT / "docs" / "BENCHMARKS.md"), show_default=True)
def main(sizes: str, large: bool, seed: int, repeat: int, work: str, doc: str) -> None:
    """大批量评分的性能测量（分区、缓存、多进程），写入 docs/BENCHMARKS.md。"""
    work_dir = Path(work)
    work_dir.mkdir(parents=True, exist_ok=True)
    units = sorted({int(s) for s in sizes.split(",") if s.strip()} | ({30000} if large else set()))
    m = {"when": dt.datetime.now().strftime("%Y-%m-%d %H:%M"), "cores": os.cpu_count(),
         "load": os.getloadavg()[0], "python": platform.python_version(),
         "cmdline": "python bench/scale_bench.py " + " ".join(sys.argv[1:]),
         "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                  text=True).stdout.strip(), "sizes": []}
    folders = {}
    for n in units:
        click.echo(f"== {n} 个单位")
        folder, info = batch_for(n, seed, work_dir)
        folders[n] = folder
        r = bench_size(folder, info, work_dir, repeat)
        click.echo(f"   read_csv {r['floor_s']:.1f}s, 第一次 {r['first_s']:.1f}s ({r['first_ratio']:.2f}x), "
                   f"第二次 {r['second_s']:.1f}s ({r['second_ratio']:.2f}x), 峰值 {_mib(r['second_rss'])}")
        m["sizes"].append(r)
    ref = next((r for r in m["sizes"] if r["units"] == 3000), m["sizes"][-1])
    m["workers"] = bench_workers(folders[ref["units"]], ref, repeat)
    click.echo(f"   workers 2 ÷ 1: {m['workers']['ratio']:.2f}")
    big = m["sizes"][-1]
    m["check"] = bench_check(folders[big["units"]], big, repeat)
    click.echo(f"   check --unit: {m['check']['wall']:.1f}s")
    (work_dir / "scale-last.json").write_text(json.dumps(m, indent=1))
    write_doc(Path(doc), render(m))
    click.echo(f"已写入 {doc}")


if __name__ == "__main__":
    main()
