"""`make bench`: the engine's benchmarks, measured side by side in one run.

    .venv/bin/python bench/run.py [--sizes 300,3000] [--large] [--repeat 2]

For each size a synthetic batch is generated once (bench/make_batch.py,
cached under bench/out/) and measured, each command in a fresh process:

(a) ``zwgk assess`` end to end vs ``pandas.read_csv`` (C engine, dates
    parsed with an explicit format) of the same CSV files;
(b) peak RSS of assess vs the size of the CSV files on disk;
(c) assess time per evidence row over the sizes (flat within ±30 %);
(d) the ranking workbook for the largest batch, and the notices vs the same
    template rendered by bare docxtpl in one process (when the reports
    module is there);
(e) ``zwgk check`` on one unit of the largest batch: the scoring after load;
(f) ``zwgk validate --xlsx`` beside ``zwgk assess --no-reports`` on the 3,000-unit
    batch, clean and with three wrong cells (``--validate-only`` runs just this;
    its own section between ``<!-- bench:validate:start/end -->``).
(g) ``assess --record`` on the 3,000-unit batch vs the same assess without
    it: recording a round into the store adds at most 25 % (its own section,
    between ``<!-- bench:store:start -->`` and ``<!-- bench:store:end -->``;
    ``--store-only`` measures just this).

Runs of (a) alternate floor and assess and keep the fastest of each (the
machine is shared; the fastest run is the one least disturbed). The results
go into docs/BENCHMARKS.md between the markers ``<!-- bench:engine:start -->``
and ``<!-- bench:engine:end -->``; the rest of that file is kept.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
PY = sys.executable
AS_OF = "2026-11-20"
START = "<!-- bench:engine:start -->"
END = "<!-- bench:engine:end -->"

STORE_START = "<!-- bench:store:start -->"
STORE_END = "<!-- bench:store:end -->"
#: (f) recording a round may add this much to assess's wall time
STORE_TARGET = 0.25

NOTES = BENCH / "engine_notes.md"
TARGETS = {"a": 2.0, "b": 4.0, "c": 0.30, "d_per": 1.2, "d_wall": 0.65, "e": 1.0}

# The floor: what any pandas tool pays to read the same files.
FLOOR = textwrap.dedent("""
    import sys, pathlib
    import pandas as pd
    sys.path.insert(0, {root!r})
    from scoring.evidence.schema import TABLES
    for f in sorted(pathlib.Path(sys.argv[1]).glob("*.csv")):
        dates = [c.name for c in TABLES[f.stem].columns if c.type == "date"]
        pd.read_csv(f, engine="c", parse_dates=dates, date_format="%Y-%m-%d")
""")

# Runs a command and prints its wall time and its peak RSS (this wrapper's
# only child, so RUSAGE_CHILDREN is the command's own peak).
MEASURE = textwrap.dedent("""
    import json, resource, subprocess, sys, time
    t = time.perf_counter()
    p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    print(json.dumps({"wall": wall, "rss": rss, "rc": p.returncode, "err": p.stderr.decode()[-2000:]}))
""")


def measure(cmd: list[str]) -> dict:
    out = subprocess.run([PY, "-c", MEASURE, *cmd], capture_output=True, text=True, check=True)
    res = json.loads(out.stdout)
    if res["rc"] != 0:
        raise click.ClickException(f"命令失败（退出码 {res['rc']}）：{' '.join(cmd)}\n{res['err']}")
    return res


def zwgk() -> list[str]:
    exe = Path(PY).with_name("zwgk")
    return [str(exe)] if exe.exists() else [PY, "-c", "from scoring.cli import main; main()"]


# ---------------------------------------------------------------------------


def batch_for(units: int, seed: int, work: Path) -> tuple[Path, dict]:
    """The cached batch of this size and seed (generated when missing)."""
    folder = work / f"batch-{units}-s{seed}"
    marker = folder / ".rows.json"
    gen = BENCH / "make_batch.py"
    stamp = gen.stat().st_mtime
    if marker.exists():
        info = json.loads(marker.read_text())
        if info.get("generator_mtime") == stamp:
            return folder, info
    shutil.rmtree(folder, ignore_errors=True)
    sys.path.insert(0, str(BENCH))
    from make_batch import make_batch

    t0 = time.perf_counter()
    rows = make_batch(folder, units, seed, echo=lambda m: click.echo(f"    {m}"))
    csv_bytes = sum(p.stat().st_size for p in folder.glob("*.csv"))
    info = {"units": units, "seed": seed, "rows": rows, "evidence_rows": sum(v for k, v in rows.items() if k != "units"),
            "csv_bytes": csv_bytes, "generate_s": time.perf_counter() - t0, "generator_mtime": stamp}
    marker.write_text(json.dumps(info))
    return folder, info


def bench_assess(folder: Path, info: dict, work: Path, repeat: int) -> dict:
    out = work / f"assess-{info['units']}"
    floors, runs = [], []
    for _ in range(repeat):
        floors.append(measure([PY, "-c", FLOOR.format(root=str(ROOT)), str(folder)]))
        shutil.rmtree(out, ignore_errors=True)
        runs.append(measure([*zwgk(), "assess", str(folder), "--as-of", AS_OF, "--out", str(out), "--no-reports", "--no-cache"]))
    floor = min(r["wall"] for r in floors)
    best = min(runs, key=lambda r: r["wall"])
    return {"floor_s": floor, "assess_s": best["wall"], "ratio": best["wall"] / floor,
            "floor_runs": [r["wall"] for r in floors], "assess_runs": [r["wall"] for r in runs],
            "rss": max(r["rss"] for r in runs), "rss_ratio": max(r["rss"] for r in runs) / info["csv_bytes"],
            "floor_rss": max(r["rss"] for r in floors), "out": str(out)}


def bench_record(folder: Path, info: dict, work: Path, repeat: int) -> dict:
    """(f) assess with and without --record (a new SQLite store each run), alternating; fastest of each."""
    out, db = work / f"record-{info['units']}", work / f"record-{info['units']}.db"
    base = [*zwgk(), "assess", str(folder), "--as-of", AS_OF, "--out", str(out), "--no-reports", "--no-cache"]
    plain, recorded = [], []
    for _ in range(repeat):
        shutil.rmtree(out, ignore_errors=True)
        plain.append(measure(base)["wall"])
        shutil.rmtree(out, ignore_errors=True)
        for p in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            p.unlink(missing_ok=True)
        recorded.append(measure([*base, "--record", "bench", "--db", str(db)])["wall"])
    a, b = min(plain), min(recorded)
    return {"units": info["units"], "plain_s": a, "record_s": b, "overhead": b / a - 1,
            "plain_runs": plain, "record_runs": recorded, "db_bytes": db.stat().st_size}


def render_store(m: dict, r: dict, cmdline: str) -> str:
    ok = r["overhead"] <= STORE_TARGET
    return "\n".join([
        STORE_START, "## 测评轮次库（zwgk assess --record）", "",
        f"测量时间：{m['when']}；命令：`{cmdline}`；机器同上（{m['cores']} 核，开始时 1 分钟平均负载 {m['load']:.2f}）。"
        f"代码版本 {m['commit']}。", "",
        "| 项目 | 测得 | 目标 | 结论 |", "|---|---|---|---|",
        f"| (f) {r['units']:,} 个单位：assess --record ÷ assess（SQLite，新建库） | {r['record_s']:.1f} 秒 ÷ "
        f"{r['plain_s']:.1f} 秒，多用 **{r['overhead']:.0%}** | ≤ {STORE_TARGET:.0%} | {'达标' if ok else '未达标'} |", "",
        f"各次用时：assess {', '.join(f'{x:.1f}' for x in r['plain_runs'])} 秒；assess --record "
        f"{', '.join(f'{x:.1f}' for x in r['record_runs'])} 秒（交替运行，各取最快）。库文件 {_mb(r['db_bytes'])}。"
        "两者都用 --no-reports；记录的内容：轮次信息、每个单位的得分等次名次、每个指标得分、每条问题、"
        "压缩的 results.json，以及底稿文件的 sha256。", "",
        STORE_END])


CHECK_PROBE = textwrap.dedent("""
    import datetime as dt, json, sys, time
    sys.path.insert(0, {root!r})
    import pandas as pd
    from scoring.engine.assess import assess
    from scoring.evidence.load import load_batch
    from scoring.rubric.load import DEFAULT_RUBRIC, load_rubric
    from scoring.workdays import WorkCalendar
    path, unit = sys.argv[1], sys.argv[2]
    rubric = load_rubric(DEFAULT_RUBRIC)
    cal = WorkCalendar.load(rubric.calendar_path())
    t0 = time.perf_counter(); batch = load_batch(path); t1 = time.perf_counter()
    # one unit's evidence: what `zwgk check --unit` scores (Batch.only, the same code)
    one = batch.only([unit])
    t2 = time.perf_counter(); assess(one, rubric, dt.date.fromisoformat({as_of!r}), cal, evidence=path)
    t3 = time.perf_counter()
    print(json.dumps({{"load_s": t1 - t0, "subset_s": t2 - t1, "score_one_s": t3 - t2}}))
""")


def bench_check(folder: Path, unit: str) -> dict:
    res = measure([*zwgk(), "check", str(folder), "--unit", unit, "--as-of", AS_OF, "--json"])
    probe = subprocess.run([PY, "-c", CHECK_PROBE.format(root=str(ROOT), as_of=AS_OF), str(folder), unit],
                           capture_output=True, text=True)
    inner = json.loads(probe.stdout) if probe.returncode == 0 else {"error": probe.stderr[-500:]}
    return {"check_s": res["wall"], "check_rss": res["rss"], **inner}


# (d): one fresh process per measurement; results.json is read before the clock starts.
#   workbook  build_workbook alone;
#   notices   render_notices with N workers: the contexts (文号, deadline, findings), the .docx and the .md;
#   bare      the contexts are computed before the clock starts, then per notice only
#             DocxTemplate(path).render(ctx); save(path): what any docxtpl script pays.
REPORTS_PROBE = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from scoring.results import read_results
    from scoring.report.notices import DEFAULT_TEMPLATE, notice_context, render_notices, units_with_problems
    from scoring.report.options import ReportOptions
    from scoring.report.workbook import build_workbook
    from scoring.workdays import WorkCalendar
    mode, results_json, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    out.mkdir(parents=True, exist_ok=True)
    results = read_results(results_json)
    opts = ReportOptions()
    cal = WorkCalendar.load()
    if mode == "workbook":
        t = time.perf_counter(); build_workbook(results, out / "ranking.xlsx"); wall = time.perf_counter() - t
        n = len(results.units)
    elif mode == "bare":
        from docxtpl import DocxTemplate
        units = units_with_problems(results)
        ctxs = [(u.unit_id, notice_context(results, u, k, opts, cal)) for k, u in enumerate(units, 1)]
        t = time.perf_counter()
        for unit_id, ctx in ctxs:
            doc = DocxTemplate(str(DEFAULT_TEMPLATE))
            doc.render(ctx)
            doc.save(str(out / (unit_id + ".docx")))
        wall = time.perf_counter() - t
        n = len(ctxs)
    else:
        workers = int(mode.split("=")[1])
        t = time.perf_counter()
        n = len(render_notices(results, out, opts, cal, workers=workers)) // 2
        wall = time.perf_counter() - t
    print(json.dumps({{"wall": wall, "n": n}}))
""")


def probe_reports(mode: str, results_json: Path, out: Path) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    p = subprocess.run([PY, "-c", REPORTS_PROBE.format(root=str(ROOT)), mode, str(results_json), str(out)],
                       capture_output=True, text=True)
    shutil.rmtree(out, ignore_errors=True)
    if p.returncode != 0:
        raise click.ClickException(f"报告测量失败（{mode}，退出码 {p.returncode}）：\n{p.stderr[-2000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def bench_reports(info: dict, assess_out: Path, repeat: int = 1) -> dict:
    """(d): the workbook, the notices in one process and in a pool of 2, and bare docxtpl."""
    try:
        from scoring.report import notices, workbook  # noqa: F401
    except Exception as exc:  # noqa: BLE001 - not there
        return {"missing": f"scoring.report 未提供排名工作簿/整改通知书（{type(exc).__name__}: {exc}）"}
    results_json = assess_out / "results.json"
    if not results_json.exists():
        return {"missing": f"{results_json} 不存在（assess 未写出结果）"}
    work = assess_out.parent / f"reports-{info['units']}"
    modes = ("workbook", "notices:workers=1", "notices:workers=2", "bare")
    runs: dict[str, list[dict]] = {m: [] for m in modes}
    for _ in range(repeat):   # alternate, keep the fastest of each (as for (a))
        for mode in modes:
            runs[mode].append(probe_reports(mode.split(":")[-1], results_json, work / mode.replace(":", "-")))
            click.echo(f"[bench]   {mode}：{runs[mode][-1]['wall']:.1f} 秒（{runs[mode][-1]['n']:,} 份）")
    best = {m: min(r["wall"] for r in rs) for m, rs in runs.items()}
    n = runs["notices:workers=1"][0]["n"]
    return {"units": info["units"], "notices": n, "workbook_s": best["workbook"],
            "serial_s": best["notices:workers=1"], "pool_s": best["notices:workers=2"], "bare_s": best["bare"],
            "per_ratio": best["notices:workers=1"] / best["bare"],
            "wall_ratio": best["notices:workers=2"] / best["notices:workers=1"],
            "runs": {m: [r["wall"] for r in rs] for m, rs in runs.items()}}


VSTART = "<!-- bench:validate:start -->"
VEND = "<!-- bench:validate:end -->"


def with_errors(folder: Path, work: Path) -> Path:
    """The batch with three wrong cells in requests.csv (a wrong date, an unknown outcome, a duplicated id);
    the other files are symlinks to the clean batch."""
    dirty = work / (folder.name + "-errors")
    shutil.rmtree(dirty, ignore_errors=True)
    dirty.mkdir(parents=True)
    for p in folder.glob("*.csv"):
        if p.name != "requests.csv":
            (dirty / p.name).symlink_to(p.resolve())
    with (folder / "requests.csv").open(encoding="utf-8") as src, (dirty / "requests.csv").open("w", encoding="utf-8") as dst:
        header = src.readline()
        cols = header.rstrip("\n").split(",")
        dst.write(header)
        first = None
        for k, line in enumerate(src):
            cells = line.rstrip("\n").split(",")
            if k == 0:
                cells[cols.index("received_on")] = "2026-02-30"
            elif k == 1:
                cells[cols.index("outcome")] = "同意公开"
            elif k == 2:
                cells[cols.index("request_id")] = first
            if first is None:
                first = cells[cols.index("request_id")]
            dst.write(",".join(cells) + "\n")
    return dirty


def bench_validate(folder: Path, info: dict, work: Path, repeat: int) -> dict:
    """``zwgk validate --xlsx`` beside ``zwgk assess --no-reports`` on the same batch, alternating runs."""
    out, report = work / f"assess-v-{info['units']}", work / f"validate-{info['units']}.xlsx"
    dirty = with_errors(folder, work)
    runs: dict[str, list[float]] = {"assess": [], "validate": [], "validate_errors": []}
    for _ in range(repeat):
        shutil.rmtree(out, ignore_errors=True)
        runs["assess"].append(measure([*zwgk(), "assess", str(folder), "--as-of", AS_OF, "--out", str(out),
                                       "--no-reports", "--no-cache"])["wall"])
        runs["validate"].append(measure([*zwgk(), "validate", str(folder), "--xlsx", str(report)])["wall"])
        res = measure_rc([*zwgk(), "validate", str(dirty), "--xlsx", str(report)], expect=2)
        runs["validate_errors"].append(res["wall"])
    shutil.rmtree(out, ignore_errors=True)
    best = {k: min(v) for k, v in runs.items()}
    return {"units": info["units"], "evidence_rows": info["evidence_rows"], **{f"{k}_s": v for k, v in best.items()},
            "ratio": best["validate"] / best["assess"], "ratio_errors": best["validate_errors"] / best["assess"],
            "runs": runs}


def measure_rc(cmd: list[str], expect: int) -> dict:
    out = subprocess.run([PY, "-c", MEASURE, *cmd], capture_output=True, text=True, check=True)
    res = json.loads(out.stdout)
    if res["rc"] != expect:
        raise click.ClickException(f"退出码 {res['rc']}（应为 {expect}）：{' '.join(cmd)}\n{res['err']}")
    return res


def render_validate(m: dict, v: dict) -> str:
    runs = "；".join(f"{k} {', '.join(f'{x:.1f}' for x in xs)} 秒" for k, xs in v["runs"].items())
    return "\n".join([
        VSTART, "## 底稿检查（zwgk validate）与评分并列", "",
        f"测量时间：{m['when']}；{v['units']:,} 个单位（{v['evidence_rows']:,} 行底稿，bench/make_batch.py 生成）；"
        f"CPU {m['cpu']}，{m['cores']} 核，开始时 1 分钟平均负载 {m['load']:.2f}；每项取 {m['repeat']} 次中最快的一次，三条命令交替运行。"
        f"复现：`python bench/run.py --validate-only`。", "",
        "| 命令 | 用时 | ÷ assess |", "|---|---:|---:|",
        f"| `zwgk assess 底稿 --no-reports` | {v['assess_s']:.1f} 秒 | 1.00× |",
        f"| `zwgk validate 底稿 --xlsx 问题.xlsx`（无错误） | {v['validate_s']:.1f} 秒 | **{v['ratio']:.2f}×** |",
        f"| `zwgk validate 有错底稿 --xlsx 问题.xlsx`（requests.csv 中 3 处错误：日期、答复结果、重复编号） | "
        f"{v['validate_errors_s']:.1f} 秒 | **{v['ratio_errors']:.2f}×** |", "",
        f"目标：检查不慢于评分（≤ 1.00×）。validate 与 assess 读入底稿的代码相同，只是不评分、不写结果；有错误时问题工作簿"
        f"只复制出错的行（该表超过 1 万行），另需读一遍出错的文件。各次：{runs}。", VEND])


def write_section(doc: Path, section: str, start: str, end: str) -> None:
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# 性能测量（BENCHMARKS）\n\n"
    if start in text and end in text:
        a, rest = text.split(start, 1)
        _, b = rest.split(end, 1)
        text = a + section + b
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    tmp = doc.with_suffix(".md.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, doc)


# ---------------------------------------------------------------------------


def machine() -> dict:
    import numpy
    import pandas

    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import psutil
        mem = psutil.virtual_memory().total
    except ImportError:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    vers = {}
    for mod in ("docxtpl", "openpyxl", "pydantic"):
        try:
            vers[mod] = __import__(mod).__version__
        except Exception:  # noqa: BLE001
            vers[mod] = "?"
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain"],
                               capture_output=True, text=True).stdout.strip() != ""
    except OSError:
        commit, dirty = "?", False
    return {"cpu": cpu, "cores": os.cpu_count(), "mem_gib": mem / 2**30, "os": platform.platform(),
            "python": platform.python_version(), "pandas": pandas.__version__, "numpy": numpy.__version__,
            **vers, "commit": commit + (" (+未提交的修改)" if dirty else ""),
            "load": os.getloadavg()[0]}


def _mb(b: float) -> str:
    return f"{b / 2**20:,.0f} MiB"


def _ok(flag: bool | None) -> str:
    return "—" if flag is None else ("达标" if flag else "未达标")


def render(m: dict, sizes: list[dict], check: dict | None, reports: dict | None, cmdline: str) -> str:
    big = sizes[-1]
    lines = [START, "## 评分引擎（zwgk assess / check）", ""]
    lines += [f"测量时间：{m['when']}；命令：`{cmdline}`（`make bench` 即运行它）。", ""]
    lines += ["机器与版本：", "",
              f"- CPU：{m['cpu']}，{m['cores']} 核；内存 {m['mem_gib']:.1f} GiB；{m['os']}",
              f"- Python {m['python']}，pandas {m['pandas']}，numpy {m['numpy']}，openpyxl {m['openpyxl']}，"
              f"docxtpl {m['docxtpl']}，pydantic {m['pydantic']}；代码版本 {m['commit']}",
              f"- 开始时 1 分钟平均负载 {m['load']:.2f}（机器与其他进程共用；每项取 {m['repeat']} 次中最快的一次）", ""]
    lines += ["复现：", "", "```sh",
              "make bench                                   # 全部测量，并改写本节",
              "python bench/make_batch.py OUT --units 3000 --seed 1   # 只生成底稿",
              f"zwgk assess OUT --as-of {AS_OF} --out RESULTS",
              f"zwgk check OUT --unit DW00001 --as-of {AS_OF}",
              "```", ""]
    lines += ["### 结果一览", "",
              "| 项目 | 测得 | 目标 | 结论 |", "|---|---|---|---|"]
    for s in sizes:
        a = s["assess"]
        lines.append(f"| (a) assess ÷ read_csv，{s['units']:,} 个单位 | {a['assess_s']:.1f} 秒 ÷ {a['floor_s']:.1f} 秒 = "
                     f"**{a['ratio']:.2f}×** | ≤ {TARGETS['a']}× | {_ok(a['ratio'] <= TARGETS['a'])} |")
    for s in sizes:
        a = s["assess"]
        lines.append(f"| (b) 峰值内存 ÷ CSV 大小，{s['units']:,} 个单位 | {_mb(a['rss'])} ÷ {_mb(s['csv_bytes'])} = "
                     f"**{a['rss_ratio']:.2f}×** | ≤ {TARGETS['b']}× | {_ok(a['rss_ratio'] <= TARGETS['b'])} |")
    if len(sizes) > 1:
        counts = " / ".join(f"{s['units']:,}" for s in sizes)
        for label, fixed in (("含", 0.0), ("扣除", m.get("fixed_s", 0.0))):
            per = [(s["assess"]["assess_s"] - fixed) / s["evidence_rows"] * 1e6 for s in sizes]
            ref = statistics.median(per)
            spread = max(abs(p / ref - 1) for p in per)
            extra = "" if not fixed else f"（1 个单位的 assess 用时 {fixed:.1f} 秒：启动、导入、细则与日历）"
            lines.append(f"| (c) 每百万行用时，{label}固定开销{extra}（{counts} 个单位） | "
                         f"{' / '.join(f'{p:.2f}' for p in per)} 秒，最大偏离中位数 **{spread:.0%}** | ± 30% | "
                         f"{_ok(spread <= TARGETS['c'])} |")
    if reports is not None:
        if "missing" in reports:
            lines.append(f"| (d) 排名工作簿与 {big['units']:,} 份整改通知书 | 未测：{reports['missing']} | "
                         f"≤ {TARGETS['d_per']}× 纯 docxtpl；双核 ≤ {TARGETS['d_wall']}× 单进程 | — |")
        else:
            r, n = reports, reports["notices"]
            lines.append(f"| (d) 排名工作簿 ranking.xlsx，{r['units']:,} 个单位 | **{r['workbook_s']:.1f} 秒** | — | — |")
            lines.append(f"| (d) 每份通知书：单进程 zwgk ÷ 纯 docxtpl（{n:,} 份） | "
                         f"{r['serial_s'] / n * 1000:.1f} 毫秒 ÷ {r['bare_s'] / n * 1000:.1f} 毫秒 = "
                         f"**{r['per_ratio']:.2f}×** | ≤ {TARGETS['d_per']}× | {_ok(r['per_ratio'] <= TARGETS['d_per'])} |")
            lines.append(f"| (d) {n:,} 份通知书总用时：2 个进程 ÷ 单进程 | "
                         f"{r['pool_s']:.1f} 秒 ÷ {r['serial_s']:.1f} 秒 = **{r['wall_ratio']:.2f}×** | "
                         f"≤ {TARGETS['d_wall']}× | {_ok(r['wall_ratio'] <= TARGETS['d_wall'])} |")
    if check is not None:
        if "score_one_s" in check:
            lines.append(f"| (e) check 一个单位（{big['units']:,} 个单位的底稿）：读入后只评该单位 | "
                         f"**{check['score_one_s']:.2f} 秒**（读入 {check['load_s']:.1f} 秒，按单位筛选 "
                         f"{check['subset_s']:.2f} 秒） | < 1 秒 | {_ok(check['score_one_s'] < TARGETS['e'])} |")
            lines.append(f"| (e') 整条 `zwgk check --unit`（启动、读入整批底稿、只评该单位、输出） | "
                         f"{check['check_s']:.1f} 秒 | — | 读入占绝大部分 |")
        else:
            lines.append(f"| (e) check 一个单位 | 整条 `zwgk check` {check['check_s']:.1f} 秒；分项测量失败 | < 1 秒 | — |")
    lines += ["", "### 各规模明细", "",
              "| 单位数 | 底稿行数 | CSV 大小 | 生成用时 | read_csv（各次） | assess（各次） | 每百万行 | assess 峰值内存 | read_csv 峰值内存 |",
              "|---:|---:|---:|---:|---|---|---:|---:|---:|"]
    for s in sizes:
        a = s["assess"]
        lines.append(f"| {s['units']:,} | {s['evidence_rows']:,} | {_mb(s['csv_bytes'])} | {s['generate_s']:.0f} 秒 | "
                     f"{', '.join(f'{x:.1f}' for x in a['floor_runs'])} 秒 | {', '.join(f'{x:.1f}' for x in a['assess_runs'])} 秒 | "
                     f"{a['assess_s'] / s['evidence_rows'] * 1e6:.2f} 秒 | {_mb(a['rss'])} | {_mb(a['floor_rss'])} |")
    lines += ["", "各表行数（最大一批）：" + "，".join(f"{k} {v:,}" for k, v in big["rows"].items()), ""]
    if reports is not None and "runs" in reports:
        names = {"workbook": "工作簿", "notices:workers=1": "通知书单进程", "notices:workers=2": "通知书 2 个进程",
                 "bare": "纯 docxtpl"}
        lines += ["(d) 各次用时：" + "；".join(f"{names.get(k, k)} {', '.join(f'{x:.1f}' for x in v)} 秒"
                                          for k, v in reports["runs"].items()) + "。"
                  "每项一个新进程，results.json 在计时前读入；zwgk 的计时含每份的上下文（文号、期限、问题列表）"
                  "和 .md，纯 docxtpl 的上下文在计时前算好，每份只做 `DocxTemplate(模板).render(上下文)` 与 `save`。", ""]
    notes = m.get("notes") or []
    if notes:
        lines += ["### 说明", ""] + [f"- {n}" for n in notes] + [""]
    if NOTES.exists():  # the hand-written analysis of the gaps (profile, what would close them)
        lines += [NOTES.read_text(encoding="utf-8").strip(), ""]
    lines.append(END)
    return "\n".join(lines)


def write_doc(doc: Path, section: str, start: str = START, end: str = END) -> None:
    write_section(doc, section, start, end)


@click.command()
@click.option("--sizes", default="300,3000", show_default=True, help="要测量的单位数，逗号分隔")
@click.option("--large", is_flag=True, help="另测 30000 个单位（约 5 千万行，需要大量内存和时间）")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--repeat", type=click.IntRange(1), default=2, show_default=True, help="每项重复次数（取最快）")
@click.option("--work", type=click.Path(file_okay=False), default=str(BENCH / "out"), show_default=True,
              help="生成的底稿与输出放在这里")
@click.option("--doc", type=click.Path(dir_okay=False), default=str(ROOT / "docs" / "BENCHMARKS.md"), show_default=True)
@click.option("--note", multiple=True, help="写入“说明”的一句话（可多次）")
@click.option("--render-only", is_flag=True, help="不测量，只用上次的结果（bench/out/last.json）重写文档")
@click.option("--validate-only", is_flag=True, help="只测 zwgk validate 与 assess 的并列用时（3,000 个单位）")
@click.option("--store-only", is_flag=True, help="只测 (g)：3000 个单位的 assess --record 与 assess")
def main(sizes: str, large: bool, seed: int, repeat: int, work: str, doc: str, note: tuple[str, ...],
         render_only: bool, validate_only: bool, store_only: bool) -> None:
    """运行评分引擎的性能测量，并写入 docs/BENCHMARKS.md。"""
    if validate_only:
        run_validate(Path(work), Path(doc), seed, repeat)
        return
    if store_only:
        run_store_bench(seed, repeat, Path(work), Path(doc))
        return
    if render_only:
        last = json.loads((Path(work) / "last.json").read_text(encoding="utf-8"))
        write_doc(Path(doc), render(last["machine"], last["sizes"], last["check"], last["reports"],
                                    last.get("cmdline", "python bench/run.py")))
        click.echo(f"[bench] 已按上次结果重写 {doc}")
        return
    ns = sorted({int(x) for x in sizes.split(",") if x.strip()} | ({30000} if large else set()))
    work_dir = Path(work)
    work_dir.mkdir(parents=True, exist_ok=True)
    m = machine()
    m["repeat"] = repeat
    m["when"] = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    m["notes"] = list(note)
    results = []
    for n in ns:
        click.echo(f"[bench] {n} 个单位：生成底稿")
        folder, info = batch_for(n, seed, work_dir)
        click.echo(f"[bench] {n} 个单位：{info['evidence_rows']:,} 行，{_mb(info['csv_bytes'])}；测量 assess 与 read_csv")
        info["assess"] = bench_assess(folder, info, work_dir, repeat)
        a = info["assess"]
        click.echo(f"[bench]   assess {a['assess_s']:.1f} 秒，read_csv {a['floor_s']:.1f} 秒，"
                   f"{a['ratio']:.2f}×；峰值内存 {_mb(a['rss'])}（{a['rss_ratio']:.2f}× CSV）")
        results.append(info)
    click.echo("[bench] 固定开销：1 个单位的底稿")
    tiny, tiny_info = batch_for(1, seed, work_dir)
    fixed = []
    for _ in range(repeat):
        shutil.rmtree(work_dir / "assess-1", ignore_errors=True)
        fixed.append(measure([*zwgk(), "assess", str(tiny), "--as-of", AS_OF, "--out", str(work_dir / "assess-1"), "--no-reports"])["wall"])
    m["fixed_s"] = min(fixed)
    big_folder = work_dir / f"batch-{ns[-1]}-s{seed}"
    click.echo("[bench] check 一个单位")
    check = bench_check(big_folder, "DW00001")
    click.echo(f"[bench]   {check}")
    # (d) is specified for 3,000 units: the largest batch up to that size
    rep = [r for r in results if r["units"] <= 3000] or results[:1]
    click.echo(f"[bench] 排名工作簿与整改通知书（{rep[-1]['units']:,} 个单位）")
    reports = bench_reports(rep[-1], Path(rep[-1]["assess"]["out"]), repeat)
    cmdline = "python bench/run.py " + " ".join(sys.argv[1:])
    section = render(m, results, check, reports, cmdline.strip())
    write_doc(Path(doc), section)
    (work_dir / "last.json").write_text(json.dumps({"machine": m, "sizes": results, "check": check,
                                                    "reports": reports, "cmdline": cmdline.strip()},
                                                   ensure_ascii=False, indent=1), encoding="utf-8")
    run_store_bench(seed, repeat, work_dir, Path(doc), m)
    click.echo(f"[bench] 已写入 {doc}")
    run_validate(work_dir, Path(doc), seed, repeat)


def run_validate(work: Path, doc: Path, seed: int, repeat: int, units: int = 3000) -> None:
    """The validate-beside-assess case on the 3,000-unit batch, written into its own section of the doc."""
    work.mkdir(parents=True, exist_ok=True)
    m = machine()
    m["repeat"] = repeat
    m["when"] = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    folder, info = batch_for(units, seed, work)
    click.echo(f"[bench] validate 与 assess 并列（{units:,} 个单位）")
    v = bench_validate(folder, info, work, repeat)
    click.echo(f"[bench]   assess {v['assess_s']:.1f} 秒，validate {v['validate_s']:.1f} 秒（{v['ratio']:.2f}×），"
               f"有错误时 {v['validate_errors_s']:.1f} 秒（{v['ratio_errors']:.2f}×）")
    write_section(doc, render_validate(m, v), VSTART, VEND)
    click.echo(f"[bench] 已写入 {doc}")


def run_store_bench(seed: int, repeat: int, work: Path, doc: Path, m: dict | None = None) -> None:
    """(f) on the 3,000-unit batch, written into its own section of the doc."""
    work.mkdir(parents=True, exist_ok=True)
    if m is None:
        m = machine()
        m["when"] = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    folder, info = batch_for(3000, seed, work)
    click.echo("[bench] (f) 3000 个单位：assess --record 与 assess")
    r = bench_record(folder, info, work, repeat)
    click.echo(f"[bench]   assess {r['plain_s']:.1f} 秒，assess --record {r['record_s']:.1f} 秒，多用 {r['overhead']:.0%}")
    write_doc(doc, render_store(m, r, ("python bench/run.py " + " ".join(sys.argv[1:])).strip()), STORE_START, STORE_END)


if __name__ == "__main__":
    main()
