"""``abort(code)`` for Flask-Admin code on the FastAPI host (Werkzeug's when Flask runs)."""

from __future__ import annotations

_TITLES = {400: "Bad request", 401: "Unauthorized", 403: "Access denied", 404: "Not found",
           405: "Method not allowed", 500: "Server error"}


class HTTPAbort(Exception):
    def __init__(self, code: int, description: str | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.title = _TITLES.get(code, "Error")
        self.description = description or {
            403: "You do not have permission to use this page.",
            404: "The page or record you asked for does not exist.",
        }.get(code, "The request could not be completed.")


def abort(code: int, description: str | None = None) -> None:
    raise HTTPAbort(code, description)
