"""Where the store is and opening it: a path or URL, the connection, the schema migrations.

``resolve_url(db)``: ``--db`` (a path or a database URL), else the ``ZWGK_DB``
environment variable, else ``zwgk.db`` in the current folder. A path is a
SQLite file; ``postgresql://…`` (or ``postgresql+psycopg://…``) is a
PostgreSQL server shared by an office.

``connect(db)`` makes the engine, checks that the database can be reached and
brings its schema up to date with the migrations shipped in
``migrations/versions`` (Alembic, run in code). A store whose schema is newer
than this program knows is refused, not touched.
"""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url

#: environment variable naming the store when --db is not given
DB_ENV = "ZWGK_DB"
DEFAULT_DB = "zwgk.db"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class StoreError(Exception):
    """A problem with the store the user must fix (the message is Chinese and complete); exit 2."""


def resolve_url(db: str | os.PathLike | None = None) -> URL:
    """The database URL for ``--db`` (None: ``ZWGK_DB``, else ./zwgk.db)."""
    text = str(db) if db is not None else (os.environ.get(DB_ENV, "").strip() or DEFAULT_DB)
    if "://" not in text:
        path = Path(text).expanduser().resolve()
        if not path.parent.is_dir():
            raise StoreError(f"测评轮次库 {text} 所在的文件夹 {path.parent} 不存在")
        if path.is_dir():
            raise StoreError(f"测评轮次库 {text} 是一个文件夹，应为数据库文件（如 zwgk.db）或数据库地址")
        return URL.create("sqlite", database=str(path))
    try:
        url = make_url(text)
    except Exception:  # noqa: BLE001 - sqlalchemy raises ArgumentError and ValueError
        raise StoreError(f"数据库地址「{mask_text(text)}」无法识别；应为 postgresql://用户:密码@主机:端口/库名 或 SQLite 文件路径")
    if url.drivername in ("postgresql", "postgres", "postgresql+psycopg"):
        return url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() == "sqlite":
        return url
    raise StoreError(f"数据库地址「{shown(url)}」的类型 {url.drivername} 不受支持；可用 SQLite 文件或 PostgreSQL（postgresql://…）")


def shown(url: URL) -> str:
    """A URL for messages: the password masked; a SQLite URL as its file path."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


def mask_text(text: str) -> str:
    """A URL given as text with any password replaced by ***."""
    head, sep, rest = text.partition("://")
    if not sep or "@" not in rest:
        return text
    cred, at, host = rest.rpartition("@")
    if ":" in cred:
        cred = cred.split(":", 1)[0] + ":***"
    return f"{head}://{cred}@{host}"


def make_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        engine = sa.create_engine(url, connect_args={"timeout": 60})
        sa.event.listen(engine, "connect", _sqlite_on_connect)
        sa.event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    return sa.create_engine(url, connect_args={"connect_timeout": 10}, pool_pre_ping=True)


def _sqlite_on_connect(dbapi_conn, _record) -> None:
    # the driver's own implicit transactions off: SQLAlchemy's begin event below issues BEGIN,
    # so a recording (many statements) is one transaction and a reader gets one snapshot.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    # WAL: readers (history, diff) are not blocked while a round is being recorded
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_on_begin(conn) -> None:
    # a writer takes the write lock at BEGIN (waiting for another writer) instead of
    # failing half-way when it upgrades a read lock
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("zwgk_write") else "BEGIN")


def _alembic_config(connection):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def known_revisions() -> tuple[list[str], str]:
    """(every revision this program ships, the newest)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config(None))
    return [r.revision for r in script.walk_revisions()], script.get_current_head()


def current_revision(connection) -> str | None:
    from alembic.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def connect(db: str | os.PathLike | None = None, upgrade_to: str = "head") -> tuple[Engine, URL]:
    """The engine of a reachable store whose schema is up to date (``upgrade_to``: tests only)."""
    url = resolve_url(db)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rev = current_revision(conn)
    except sa.exc.DBAPIError as exc:
        engine.dispose()
        raise StoreError(f"无法连接测评轮次库 {shown(url)}：{_reason(exc, url)}") from None
    known, head = known_revisions()
    if rev is not None and rev not in known:
        engine.dispose()
        raise StoreError(f"测评轮次库 {shown(url)} 的结构版本 {rev} 比本程序新（本程序支持到 {head}），"
                         f"请升级 zwgk 后再使用；库未作任何改动")
    target = head if upgrade_to == "head" else upgrade_to
    if rev != target:
        _upgrade(engine, url, target)
    return engine, url


def _upgrade(engine: Engine, url: URL, target: str) -> None:
    from alembic import command

    try:
        with engine.connect().execution_options(zwgk_write=True) as conn:
            command.upgrade(_alembic_config(conn), target)
            conn.commit()
    except sa.exc.DBAPIError as exc:
        engine.dispose()
        raise StoreError(f"无法升级测评轮次库 {shown(url)} 的结构：{_reason(exc, url)}") from None


def _reason(exc: sa.exc.DBAPIError, url: URL) -> str:
    """The driver's own words, first line, never with the password in it."""
    text = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
    if url.password:
        text = text.replace(str(url.password), "***")
    return text
