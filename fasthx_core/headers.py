"""Security headers on every admin response: no MIME sniffing, no framing by other sites, no
admin URLs (which carry ids and search words) leaked in the Referer to other sites.

A pure ASGI middleware so streamed exports get them too; a header the app already set (say a
stricter ``X-Frame-Options: DENY``) is kept.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: header -> value added to admin responses that lack it
SECURITY_HEADERS: dict[str, str] = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "SAMEORIGIN",
    "referrer-policy": "same-origin",
}


class SecurityHeaders:
    """Adds `SECURITY_HEADERS` to responses for paths under `prefix` ("" = every path)."""

    def __init__(self, app: ASGIApp, prefix: str = "", static_url: str = "") -> None:
        self.app = app
        self.prefixes = (prefix, static_url) if prefix else ()  # no prefix: the whole app

    def _applies(self, path: str) -> bool:
        return not self.prefixes or any(path == p or path.startswith(p + "/")
                                        for p in self.prefixes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self._applies(scope.get("path", "")):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                for name, value in SECURITY_HEADERS.items():
                    if name.encode() not in present:
                        headers.append((name.encode(), value.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
