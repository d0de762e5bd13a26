"""Options of the commands that score a whole batch at scale (docs/SCALE.md), and `zwgk cache clear`."""

from __future__ import annotations

import click


def cache_options(f):
    """--no-cache and --cache-dir: the columnar evidence cache (scoring.evidence.cache)."""
    f = click.option("--cache-dir", "cache_dir", type=click.Path(file_okay=False), default=None,
                     help="底稿缓存的存放位置（默认在底稿旁的 .zwgk-cache/ 文件夹）")(f)
    return click.option("--no-cache", "no_cache", is_flag=True, default=False,
                        help="不读也不写底稿缓存（每次都从 CSV/xlsx 读入）")(f)


def scale_options(f):
    """--workers, --partition-units, --scheduler and the cache options."""
    f = click.option("--scheduler", "scheduler", default=None, metavar="ADDRESS",
                     help="在 Dask 集群上评分：调度器地址（如 tcp://10.0.0.5:8786），或 local:N（本机 N 个工作进程）")(f)
    f = click.option("--partition-units", "partition_units", type=click.IntRange(min=1), default=None,
                     help="每个分区的单位数（默认 500）；内存峰值随分区大小而定，结果与分区大小无关")(f)
    f = click.option("--workers", "workers", type=click.IntRange(min=1), default=None,
                     help="并行评分的工作进程数（默认每个 CPU 核一个）")(f)
    return cache_options(f)


def scale_settings(workers: int | None, partition_units: int | None, scheduler: str | None) -> dict:
    """Keyword arguments of ``score_inputs`` from the options."""
    from scoring.engine.partition import default_workers

    return {"workers": workers or default_workers(), "partition_units": partition_units, "scheduler": scheduler}


@click.group("cache")
def cache_group() -> None:
    """底稿缓存（首次读入 CSV/xlsx 底稿后保存的列式副本；底稿不变时后续运行直接读取）。"""


@cache_group.command("clear")
@click.argument("evidence", type=click.Path(exists=False), required=False)
@click.option("--cache-dir", "cache_dir", type=click.Path(file_okay=False), default=None,
              help="缓存所在文件夹（与 assess --cache-dir 相同）")
def cache_clear(evidence: str | None, cache_dir: str | None) -> None:
    """删除底稿缓存：给出 EVIDENCE 时只删该底稿的缓存；否则删除 --cache-dir（默认当前文件夹的 .zwgk-cache/）中的全部缓存。"""
    from scoring.evidence.cache import clear_cache

    try:
        removed = clear_cache(evidence, cache_dir)
    except OSError as exc:
        click.echo(f"错误：无法删除缓存：{exc.strerror or exc}", err=True)
        raise SystemExit(2)
    if not removed:
        click.echo("没有找到底稿缓存，无需删除。")
    for p in removed:
        click.echo(f"已删除底稿缓存 {p}")
