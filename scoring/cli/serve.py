"""`zwgk serve`: the rounds, a round's ranking, a unit's history, the 待办 list and the 自查 upload as web pages."""

from __future__ import annotations

import os
import re
import sys

import click

from scoring.cli.store_common import db_option

TOKEN_ENV = "ZWGK_TOKEN"
#: as `zwgk overdue --urge-workdays` (scoring.loop.overdue.DEFAULT_URGE_WORKDAYS; not imported here: it loads pandas)
DEFAULT_URGE_WORKDAYS = 5
#: a token must be safe in a cookie and an address, and not guessable
TOKEN_RE = re.compile(r"^[A-Za-z0-9._~-]{16,200}$")


def check_exposure(host: str, token: str | None) -> str | None:
    """The Chinese reason the server must not start (None: it may): beyond this machine needs a good token."""
    from scoring.web.auth import LOOPBACK

    if token is not None and not TOKEN_RE.match(token):
        return "访问令牌（--token 或环境变量 ZWGK_TOKEN）应为 16 至 200 个字母、数字或 . _ ~ - 字符"
    if host not in LOOPBACK and not token:
        return (f"监听地址 {host} 可被本机以外访问，必须设置访问令牌：--token 令牌 或环境变量 {TOKEN_ENV}"
                "（如 python3 -c \"import secrets; print(secrets.token_urlsafe(24))\" 生成）")
    return None


@click.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听地址；非本机地址（如 0.0.0.0）必须同时设置 --token")
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True, help="端口")
@click.option("--token", default=None, help=f"访问令牌（也可用环境变量 {TOKEN_ENV}）；设置后每个请求都要核对")
@click.option("--config", "report_config", type=click.Path(dir_okay=False), default=None,
              help="报告配置文件（发文机关等，与 zwgk report --config 相同），用于下载的通知书和通报")
@click.option("--calendar", "calendar_file", type=click.Path(dir_okay=False), default=None,
              help="补充节假日安排的日历文件（YAML）")
@click.option("--rubric", "rubric_ref", default=None, help="自查所用的评分细则（默认省级 2026 细则）")
@click.option("--urge-workdays", type=click.IntRange(min=1), default=DEFAULT_URGE_WORKDAYS, show_default=True,
              help="催办后的整改期限（工作日），与 zwgk overdue 相同")
def serve(db, host, port, token, report_config, calendar_file, rubric_ref, urge_workdays) -> None:
    """在浏览器中查看测评轮次、排名、单位整改与待办，并提供单位自查上传（默认只在本机 127.0.0.1 访问）。"""
    from scoring.report.options import ReportOptionsError
    from scoring.store import StoreError
    from scoring.web.app import Settings, create_app

    token = token or os.environ.get(TOKEN_ENV) or None
    problem = check_exposure(host, token)
    if problem:
        click.echo(f"错误：{problem}", err=True)
        sys.exit(2)
    try:
        opts = None   # the defaults of `zwgk report`
        if report_config or calendar_file:
            from scoring.cli.report import build_report_options

            opts = build_report_options(report_config, None, None, None, None, None, calendar_file)
        app = create_app(db, Settings(opts, urge_workdays, rubric_ref), token)
    except ReportOptionsError as exc:
        from scoring.cli.report import echo_option_problems

        echo_option_problems(exc)
        sys.exit(2)
    except StoreError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(2)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"zwgk serve：测评轮次库 {app_store(app).where}")
    if token:
        click.echo(f"已启用访问令牌：每个请求都核对令牌。请用 http://{shown}:{port}/?token=<令牌> 打开（令牌不在此显示）")
    else:
        click.echo("只在本机访问（未设置访问令牌）")
    click.echo(f"请在浏览器中打开 http://{shown}:{port}/ （按 Ctrl+C 停止）")
    import uvicorn

    uvicorn.run(app, host=host, port=port, log_level="warning")


def app_store(app):
    inner = getattr(app, "app", app)      # under the token middleware
    return inner.state.store
