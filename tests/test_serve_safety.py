"""`zwgk serve` is safe by default: the token beyond this machine, the upload limits, evidence text as text,
and a store that pages only read. Uses the app's test client (no browser, no network)."""

from __future__ import annotations

import io
import warnings
import zipfile

import pytest
from click.testing import CliRunner

from scoring.cli import main
from scoring.store import KIND_ASSESS, open_store
from scoring.web import upload
from scoring.web.app import create_app
from scoring.web.upload import UploadError, UploadFolder
from store_helpers import synthetic_results

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

TOKEN = "s3cret-token-for-the-office"
HOSTILE = '<script>alert("x")</script>{{ 7*7 }}'


@pytest.fixture
def db(tmp_path):
    path = str(tmp_path / "zwgk.db")
    results = synthetic_results(6)
    unit = results.units[0].model_copy(update={"name": HOSTILE})
    results = results.model_copy(update={"units": [unit, *results.units[1:]]})
    with open_store(path) as store:
        store.record_round("第一轮", KIND_ASSESS, results)
    return path


def client(db, token=None) -> TestClient:
    return TestClient(create_app(db, token=token), follow_redirects=False)


def test_a_request_without_the_token_is_refused(db):
    c = client(db, TOKEN)
    r = c.get("/")
    assert r.status_code == 401 and "需要访问令牌" in r.text
    assert c.get("/", headers={"X-ZWGK-Token": "wrong-token-wrong-token"}).status_code == 401
    assert c.get("/round?name=第一轮", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_the_token_in_a_header_or_the_login_cookie_is_accepted(db):
    c = client(db, TOKEN)
    assert c.get("/", headers={"X-ZWGK-Token": TOKEN}).status_code == 200
    assert c.get("/", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    login = c.get(f"/round?name=第一轮&token={TOKEN}")
    assert login.status_code == 303
    assert TOKEN not in login.headers["location"] and "name=" in login.headers["location"]
    assert "HttpOnly" in login.headers["set-cookie"]
    assert c.get(login.headers["location"]).status_code == 200       # the cookie now carries the token


def test_serving_beyond_this_machine_without_a_token_exits_2_in_chinese(db, monkeypatch):
    monkeypatch.delenv("ZWGK_TOKEN", raising=False)
    r = CliRunner().invoke(main, ["serve", "--db", db, "--host", "0.0.0.0"])
    assert r.exit_code == 2 and "必须设置访问令牌" in r.output
    r = CliRunner().invoke(main, ["serve", "--db", db, "--host", "0.0.0.0", "--token", "short"])
    assert r.exit_code == 2 and "访问令牌" in r.output


def test_evidence_text_is_shown_as_text_never_as_markup(db):
    c = client(db)
    page = c.get("/round?name=第一轮").text
    assert HOSTILE not in page and "&lt;script&gt;alert(" in page and "{{ 7*7 }}" in page
    assert "<script" not in page
    unit = c.get("/unit?id=DW00001").text
    assert "&lt;script&gt;" in unit and "<script" not in unit


def test_the_pages_leave_the_store_as_it_was(db, tmp_path):
    before = open(db, "rb").read()
    c = client(db)
    for url in ["/", "/round?name=第一轮&sort=total&desc=1", "/unit?id=DW00002", "/todo?as_of=2026-12-20",
                "/round/unit?name=第一轮&unit=DW00003"]:
        assert c.get(url).status_code == 200, url
    with open_store(db) as store:
        assert [r.name for r in store.rounds()] == ["第一轮"]
    assert open(db, "rb").read() == before


def test_an_unknown_round_or_a_bad_date_is_a_chinese_page_not_a_traceback(db):
    c = client(db)
    r = c.get("/round?name=没有这一轮")
    assert r.status_code == 404 and "没有这一轮" in r.text and "第一轮" in r.text
    r = c.get("/todo?as_of=明天")
    assert r.status_code == 400 and "检查日「明天」无法识别" in r.text


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("entry", ["../evil.csv", "a/../../evil.csv", "/etc/evil.csv", "C:\\evil.csv"])
def test_a_zip_entry_outside_the_folder_refuses_the_whole_zip(entry):
    with UploadFolder() as up, pytest.raises(UploadError, match="指向文件夹之外"):
        up.take([("单位.zip", zip_bytes({"unit/units.csv": b"x", entry: b"y"}))])
    assert not up.root.exists()


def test_a_zip_expanding_beyond_the_cap_is_refused(monkeypatch):
    monkeypatch.setattr(upload, "MAX_EXPANDED_BYTES", 1000)
    with UploadFolder() as up, pytest.raises(UploadError, match="解压后.*超过上限"):
        up.take([("大.zip", zip_bytes({"units.csv": b"0" * 5000}))])


def test_only_workbooks_csv_and_zip_files_are_taken():
    with UploadFolder() as up, pytest.raises(UploadError, match="只能上传 .xlsx、.csv 或 .zip"):
        up.take([("run.exe", b"MZ")])


def test_an_upload_over_the_size_cap_is_refused_with_a_chinese_page(db, monkeypatch):
    monkeypatch.setattr(upload, "MAX_UPLOAD_BYTES", 100)
    r = client(db).post("/check", files={"evidence": ("底稿.xlsx", b"0" * 70_000)})
    assert r.status_code == 400 and "超过上限" in r.text


def test_an_upload_with_errors_lists_them_without_the_temporary_folder(db):
    r = client(db).post("/check", files={"evidence": ("units.csv", "unit_id,name\n".encode())},
                        data={"as_of": "2026-11-20"})
    assert r.status_code == 400 and "底稿有" in r.text
    assert "zwgk-upload-" not in r.text and "/tmp/" not in r.text


def test_serve_offers_the_urge_period_of_zwgk_overdue():
    from scoring.cli.serve import DEFAULT_URGE_WORKDAYS
    from scoring.loop.overdue import DEFAULT_URGE_WORKDAYS as OVERDUE_DEFAULT

    assert DEFAULT_URGE_WORKDAYS == OVERDUE_DEFAULT
