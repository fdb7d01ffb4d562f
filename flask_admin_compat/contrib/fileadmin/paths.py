"""Path and name checks of the file admin: what a request may name, before any storage call.

Every path a request carries (``b/<path>``, ``?path=``, a form's ``path`` field, a batch
action's ``rowid``) goes through `clean_path`, which turns it into a *relative* path:
``/``-separated, ``""`` for the root, with no ``..``, ``.`` or empty segments, no leading
``/`` and no control characters.  New names (mkdir, rename, upload) go through `is_valid_name`
or `secure_filename` and so never contain a separator.  The storage then resolves the real
path and refuses anything outside its root (symlinks), so both layers must fail for an escape.
"""

from __future__ import annotations

import re
import unicodedata

# Flask-Admin's name check (no separators, no Windows device names, no leading dot, no
# characters Windows forbids).
_NAME_RE = re.compile(
    r"^(?!^(PRN|AUX|CLOCK\$|NUL|CON|COM\d|LPT\d|\..*)(\..+)?$)[^\x00-\x1f\\?*:\";|/]+$")
_ASCII_STRIP_RE = re.compile(r"[^A-Za-z0-9_.-]")
_DRIVE_RE = re.compile(r"^[A-Za-z]:")
_WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
                    *(f"LPT{i}" for i in range(10))}
MAX_NAME_BYTES = 255


class InvalidPath(ValueError):
    """A request named a path that cannot be inside the root (answered with 404)."""


def clean_path(raw: str | None) -> str:
    """A request's path -> a clean relative path; `InvalidPath` for anything that could climb
    out of the root or is not a plain path (absolute, ``..``, NUL, backslash, drive letter)."""
    if raw is None:
        return ""
    text = str(raw)
    if any(ord(c) < 32 or c == "\x7f" for c in text) or "\\" in text:
        raise InvalidPath(raw)
    if text.startswith("/"):
        raise InvalidPath(raw)
    parts = [p for p in text.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts) or (parts and _DRIVE_RE.match(parts[0])):
        raise InvalidPath(raw)
    try:
        "/".join(parts).encode("utf-8")
    except UnicodeEncodeError as exc:  # lone surrogates
        raise InvalidPath(raw) from exc
    return "/".join(parts)


def join(directory: str, name: str) -> str:
    """Join a clean relative directory and a validated name."""
    return f"{directory}/{name}" if directory else name


def parent(path: str) -> str:
    """The relative directory holding `path` (``""`` for the root's entries)."""
    return path.rsplit("/", 1)[0] if "/" in path else ""


def basename(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def is_valid_name(name: str | None) -> bool:
    """A single directory entry's name as Flask-Admin accepts it (mkdir, rename): no
    separator, no control character, no leading dot (so never ``.`` or ``..``), at most
    255 bytes."""
    if not name or not _NAME_RE.match(name):
        return False
    try:
        return len(name.encode("utf-8")) <= MAX_NAME_BYTES
    except UnicodeEncodeError:
        return False


def secure_filename(filename: str) -> str:
    """Werkzeug's ``secure_filename``: ASCII letters, digits, ``_``, ``.`` and ``-`` only, no
    separators, no leading or trailing dots; may return ``""``."""
    text = unicodedata.normalize("NFKD", str(filename)).encode("ascii", "ignore").decode("ascii")
    text = text.replace("/", " ").replace("\\", " ")
    text = _ASCII_STRIP_RE.sub("", "_".join(text.split())).strip("._")
    if text and text.split(".")[0].upper() in _WINDOWS_DEVICES:
        text = f"_{text}"
    return text[:MAX_NAME_BYTES]


def extension(filename: str) -> str:
    """``"Photo.JPG"`` -> ``"jpg"`` (Flask-Admin's lower-cased extension, no dot)."""
    name = basename(filename)
    dot = name.rfind(".")
    return name[dot + 1:].lower() if dot > 0 else ""
