"""Where the admin may send a browser back to: local paths only.

One check for every return-to parameter (``next`` after login, Flask-Admin's ``url``, the
referer of a batch post), covering the known disguises of another host or a script URL:
``//host``, ``\\\\host``, ``%20javascript:``, control characters inside ``javascript:``.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit


def is_local_url(target: str | None) -> bool:
    """True for a path on this site (``/...``), however the target is encoded."""
    if not target:
        return False
    text = unquote(str(target)).strip()
    if any(ord(c) < 32 or c == "\\" for c in text):
        return False
    cleaned = "".join(c for c in text if not c.isspace())
    if not cleaned.startswith("/") or cleaned.startswith("//"):
        return False
    parts = urlsplit(cleaned)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None, default: str = "/") -> str:
    """`target` when it is local, else `default`."""
    return str(target).strip() if is_local_url(target) else default
