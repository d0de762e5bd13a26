"""The access token: required when the server listens beyond this machine, checked on every request.

A request passes with the token in the ``X-ZWGK-Token`` header, an
``Authorization: Bearer`` header, or the ``zwgk_token`` cookie; opening any
page with ``?token=…`` once sets the cookie and drops the token from the
address. Compared in constant time. Without a token configured (bound to
127.0.0.1) every request passes.
"""

from __future__ import annotations

import hmac
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode

COOKIE = "zwgk_token"
HEADER = b"x-zwgk-token"
LOOPBACK = ("127.0.0.1", "localhost", "::1")

REFUSED = ("<!DOCTYPE html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>需要访问令牌</title>"
           "<body style=\"font-family:sans-serif;margin:3em\"><h1>需要访问令牌</h1>"
           "<p>本服务要求访问令牌：请使用管理员提供的带 <code>?token=</code> 的地址打开。</p></body></html>")


def same(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8"))


class TokenMiddleware:
    """ASGI middleware: refuse (401) every HTTP request without the token."""

    def __init__(self, app, token: str):
        self.app, self.token = app, token

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        from_query = next((v for k, v in query if k == "token"), None)
        if from_query is not None and same(from_query, self.token):
            return await _login(scope, send, self.token, [(k, v) for k, v in query if k != "token"])
        if same(_presented(scope), self.token):
            return await self.app(scope, receive, send)
        body = REFUSED.encode("utf-8")
        await send({"type": "http.response.start", "status": 401,
                    "headers": [(b"content-type", b"text/html; charset=utf-8"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def _presented(scope) -> str | None:
    headers = dict(scope.get("headers") or [])
    if HEADER in headers:
        return headers[HEADER].decode("latin-1")
    auth = headers.get(b"authorization", b"").decode("latin-1")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    cookie = SimpleCookie()
    try:
        cookie.load(headers.get(b"cookie", b"").decode("latin-1"))
    except Exception:   # a malformed cookie header: no token presented
        return None
    return cookie[COOKIE].value if COOKIE in cookie else None


async def _login(scope, send, token: str, rest: list[tuple[str, str]]) -> None:
    """Set the cookie and send the browser to the same page without the token in its address."""
    location = (scope.get("root_path", "") + scope["path"]) + (f"?{urlencode(rest)}" if rest else "")
    cookie = f"{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
    await send({"type": "http.response.start", "status": 303,
                "headers": [(b"location", location.encode("utf-8")), (b"set-cookie", cookie.encode("latin-1")),
                            (b"content-length", b"0")]})
    await send({"type": "http.response.body", "body": b""})
