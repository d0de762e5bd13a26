"""The partitions as Dask tasks (``zwgk assess --scheduler``): a cluster's workers score, the client ranks.

``scheduler`` is a Dask scheduler's address (``tcp://host:8786``) or ``local:N`` for a
``dask.distributed.LocalCluster`` of N worker processes on this machine. A partition from the
evidence cache is sent as a reference (the worker reads its buckets from the shared cache folder);
a partition of a batch loaded here is sent as its data.
"""

from __future__ import annotations

from typing import Callable, Iterable

from scoring.engine.assess import UnitScore


class SchedulerError(ValueError):
    """A scheduler that cannot be reached or started; the message is Chinese."""


def run_on_dask(parts: list, job, scheduler: str, say: Callable[[str], None]) -> Iterable[list[UnitScore]]:
    from scoring.engine.partition import BatchPart, score_part

    client, cluster = _connect(scheduler)
    try:
        say(f"评分：{len(parts)} 个部分，Dask 调度器 {client.scheduler.address}")
        job_f = client.scatter(job, broadcast=True)
        # a part of a batch loaded here travels as its own rows only
        sendable = [p.load() if isinstance(p, BatchPart) else p for p in parts]
        futures = client.map(score_part, sendable, job=job_f, pure=False)
        for i, fut in enumerate(futures, 1):
            res = fut.result()
            say(f"评分 第 {i}/{len(parts)} 部分完成")
            yield res
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _connect(scheduler: str):
    from dask.distributed import Client, LocalCluster

    try:
        if scheduler.startswith("local:"):
            n = int(scheduler.split(":", 1)[1])
            if n < 1:
                raise ValueError
            cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None)
            return Client(cluster), cluster
        return Client(scheduler, timeout="10s"), None
    except ValueError as exc:
        raise SchedulerError(f"--scheduler「{scheduler}」无法识别：应为调度器地址（如 tcp://10.0.0.5:8786）"
                             f"或 local:N（本机 N 个工作进程）") from exc
    except (OSError, TimeoutError) as exc:
        raise SchedulerError(f"无法连接 Dask 调度器「{scheduler}」：{exc}") from exc
