"""Where the file admin's files live: the storage interface and the local-disk storage.

The interface
-------------
A storage works on *relative* paths: ``/``-separated, ``""`` for its root, already cleaned by
the view (`paths.clean_path`: no ``..``, no leading ``/``, no NUL).  A storage must still refuse
any path that resolves outside its root (raise `PathOutsideRoot`), which is what stops
symlinks from leading out of it.  Subclass `BaseFileStorage` and implement:

=========================================  ==================================================
``get_base_path() -> str``                 the root, as shown to hooks (a directory, a bucket
                                           prefix)
``exists(path) -> bool``                   False also for paths outside the root
``is_dir(path) -> bool``                   True for directories (or key prefixes)
``stat(path) -> FileInfo``                 one entry
``list(path) -> list[FileInfo]``           the entries of a directory, unsorted
``read(path) -> bytes``                    a file's content (text editing)
``write(path, data: bytes)``               replace an existing file's content (text editing)
``save_upload(path, stream, max_size,      create a *new* file from a binary stream read in
chunk_size) -> int``                       chunks; `FileExistsError` if it exists,
                                           `FileTooLarge` past `max_size` bytes (and nothing
                                           left behind); returns the size written
``mkdir(path)``                            create one directory (`FileExistsError` if there)
``rename(src, dst)``                       move an entry within its directory;
                                           `FileExistsError` if `dst` exists
``delete(path)``                           delete one file
``delete_tree(path)``                      delete a directory and everything in it
=========================================  ==================================================

and optionally ``open(path) -> BinaryIO`` (default: ``BytesIO(read(path))``),
``send_file(path) -> Response`` (default: a streamed attachment from ``open``; an S3 store can
answer with a redirect to a presigned URL instead), ``full_path``/``relative_path`` (the
strings hooks receive; default: ``base + "/" + path``) and ``rebase(base_path)`` (for views
whose ``get_base_path`` is per user).  An S3-compatible store maps directories to key prefixes
(``mkdir`` writes a ``name/`` marker object, ``list`` is a delimiter listing, ``delete_tree``
deletes by prefix, ``rename`` copies then deletes).
"""

from __future__ import annotations

import io
import os
import shutil
import stat as stat_module
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import suppress
from typing import BinaryIO, NamedTuple

from starlette.responses import FileResponse, Response, StreamingResponse

from .paths import InvalidPath, basename, clean_path, join

DEFAULT_CHUNK_SIZE = 64 * 1024


class FileInfo(NamedTuple):
    """One directory entry; a tuple in Flask-Admin's order, so templates that unpack
    ``name, path, is_dir, size, date`` keep working."""

    name: str
    path: str
    is_dir: bool
    size: int
    modified: float


class PathOutsideRoot(PermissionError):
    """The path resolves outside the storage's root (a symlink leading out, or worse)."""


class FileTooLarge(ValueError):
    """An upload went past the size limit; nothing was kept."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the file is larger than {limit} bytes")
        self.limit = limit


class BaseFileStorage(ABC):
    """The storage interface of `BaseFileAdmin` (see the module documentation)."""

    separator = "/"

    @abstractmethod
    def get_base_path(self) -> str: ...

    @abstractmethod
    def exists(self, path: str) -> bool: ...

    @abstractmethod
    def is_dir(self, path: str) -> bool: ...

    @abstractmethod
    def stat(self, path: str) -> FileInfo: ...

    @abstractmethod
    def list(self, path: str) -> list[FileInfo]: ...

    @abstractmethod
    def read(self, path: str) -> bytes: ...

    @abstractmethod
    def write(self, path: str, data: bytes) -> None: ...

    @abstractmethod
    def save_upload(self, path: str, stream: BinaryIO, max_size: int | None = None,
                    chunk_size: int = DEFAULT_CHUNK_SIZE) -> int: ...

    @abstractmethod
    def mkdir(self, path: str) -> None: ...

    @abstractmethod
    def rename(self, src: str, dst: str) -> None: ...

    @abstractmethod
    def delete(self, path: str) -> None: ...

    @abstractmethod
    def delete_tree(self, path: str) -> None: ...

    # -- with defaults ------------------------------------------------------------------
    def open(self, path: str) -> BinaryIO:
        return io.BytesIO(self.read(path))

    def send_file(self, path: str) -> Response:
        """The download response: always an attachment, never rendered by the browser on the
        admin's origin (an uploaded ``.html`` or ``.svg`` could carry script)."""
        stream = self.open(path)

        def chunks() -> Iterator[bytes]:
            with stream:
                while chunk := stream.read(DEFAULT_CHUNK_SIZE):
                    yield chunk

        return StreamingResponse(chunks(), media_type="application/octet-stream",
                                 headers=download_headers(basename(path)))

    def full_path(self, path: str) -> str:
        """The string hooks receive for `path` (Flask-Admin passes full paths)."""
        base = self.get_base_path().rstrip(self.separator)
        return f"{base}{self.separator}{path}" if path else base

    def relative_path(self, full_path: str) -> str:
        """The inverse of `full_path`; `InvalidPath` for a path not under the base."""
        base = self.get_base_path().rstrip(self.separator)
        text = str(full_path)
        if text == base:
            return ""
        if not text.startswith(base + self.separator):
            raise InvalidPath(full_path)
        return clean_path(text[len(base) + 1:])

    def rebase(self, base_path: str) -> BaseFileStorage:
        """A storage like this one rooted at `base_path` (per-user ``get_base_path``)."""
        raise NotImplementedError(f"{type(self).__name__} cannot change its base path")


def download_headers(name: str) -> dict[str, str]:
    from urllib.parse import quote

    ascii_name = name.encode("ascii", "ignore").decode("ascii").replace('"', "") or "download"
    return {"Content-Disposition":
            f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}",
            "X-Content-Type-Options": "nosniff"}


class LocalFileStorage(BaseFileStorage):
    """Files in a directory of the local file system.

    Every operation resolves the real path (symlinks followed) and refuses it unless it is the
    root or inside it; renames and deletes then act on the entry itself, so deleting a
    symlink removes the link, never what it points to.
    """

    separator = os.sep

    def __init__(self, base_path: str | bytes | os.PathLike[str], verify: bool = True) -> None:
        raw = os.fsdecode(base_path) if isinstance(base_path, bytes) else os.fspath(base_path)
        self.base_path = os.path.abspath(raw)
        if verify and not os.path.isdir(self.base_path):
            raise OSError(f'FileAdmin path "{self.base_path}" does not exist or is not '
                          "accessible")

    def get_base_path(self) -> str:
        return os.path.normpath(self.base_path)

    def rebase(self, base_path: str) -> LocalFileStorage:
        return type(self)(base_path, verify=False)

    def full_path(self, path: str) -> str:
        return os.path.join(self.base_path, *path.split("/")) if path else self.base_path

    def relative_path(self, full_path: str) -> str:
        rel = os.path.relpath(os.path.abspath(os.fspath(full_path)), self.base_path)
        if rel == ".":
            return ""
        if os.path.isabs(rel) or rel.split(os.sep)[0] == "..":
            raise InvalidPath(full_path)
        return clean_path(rel.replace(os.sep, "/"))

    def _checked(self, path: str, root: str | None = None) -> str:
        """The entry's path (not resolved) after checking that its real path is inside."""
        full = self.full_path(clean_path(path))
        root = root or os.path.realpath(self.base_path)
        real = os.path.realpath(full)
        if real != root and not real.startswith(root.rstrip(os.sep) + os.sep):
            raise PathOutsideRoot(path)
        return full

    # -- reading ------------------------------------------------------------------------
    def exists(self, path: str) -> bool:
        try:
            return os.path.exists(self._checked(path))
        except (InvalidPath, PathOutsideRoot):
            return False

    def is_dir(self, path: str) -> bool:
        return os.path.isdir(self._checked(path))

    def stat(self, path: str) -> FileInfo:
        st = os.stat(self._checked(path))
        return FileInfo(basename(path), path, stat_module.S_ISDIR(st.st_mode), st.st_size,
                        st.st_mtime)

    def list(self, path: str) -> list[FileInfo]:
        out = []
        root = os.path.realpath(self.base_path)
        with os.scandir(self._checked(path, root)) as entries:
            for entry in entries:
                try:
                    rel = join(path, entry.name)
                    if clean_path(rel) != rel:  # a name no request could address
                        continue
                    st = os.stat(self._checked(rel, root))
                    out.append(FileInfo(entry.name, rel, stat_module.S_ISDIR(st.st_mode),
                                        st.st_size, st.st_mtime))
                except (InvalidPath, PathOutsideRoot, OSError):
                    continue  # escapes the root, unreadable, or a dangling link
        return out

    def read(self, path: str) -> bytes:
        with open(self._checked(path), "rb") as f:
            return f.read()

    def open(self, path: str) -> BinaryIO:
        return open(self._checked(path), "rb")

    def send_file(self, path: str) -> Response:
        full = self._checked(path)
        return FileResponse(full, headers=download_headers(basename(path)),
                            media_type="application/octet-stream")

    # -- writing ------------------------------------------------------------------------
    def write(self, path: str, data: bytes) -> None:
        full = self._checked(path)
        if not os.path.isfile(full):
            raise FileNotFoundError(path)
        with open(full, "wb") as f:
            f.write(data)

    def save_upload(self, path: str, stream: BinaryIO, max_size: int | None = None,
                    chunk_size: int = DEFAULT_CHUNK_SIZE) -> int:
        full = self._checked(path)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | \
            getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(full, flags, 0o666)  # O_EXCL: never replaces an entry, not even a link
        written = 0
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(chunk_size):
                    written += len(chunk)
                    if max_size is not None and written > max_size:
                        raise FileTooLarge(max_size)
                    out.write(chunk)
        except BaseException:
            with suppress(OSError):
                os.unlink(full)
            raise
        return written

    def mkdir(self, path: str) -> None:
        os.mkdir(self._checked(path))

    def rename(self, src: str, dst: str) -> None:
        source, target = self._checked(src), self._checked(dst)
        if not src or not dst:
            raise PermissionError("the root cannot be renamed")
        if os.path.lexists(target):
            raise FileExistsError(f'"{basename(dst)}" already exists')
        os.rename(source, target)

    def delete(self, path: str) -> None:
        full = self._checked(path)
        if os.path.isdir(full) and not os.path.islink(full):
            raise IsADirectoryError(path)
        os.remove(full)

    def delete_tree(self, path: str) -> None:
        full = self._checked(path)
        if not path:
            raise PermissionError("the root cannot be deleted")
        if os.path.islink(full):
            os.unlink(full)  # the link, not the directory it points to
        else:
            shutil.rmtree(full)


__all__ = ["BaseFileStorage", "FileInfo", "FileTooLarge", "LocalFileStorage",
           "PathOutsideRoot"]
