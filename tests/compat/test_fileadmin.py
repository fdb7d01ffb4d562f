"""Flask-Admin's FileAdmin on the FastAPI host: browse, upload, download, mkdir, rename, edit,
delete; every ``can_*`` switch; confinement to the root; CSRF; escaping; a pluggable storage."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from flask_admin_compat import Admin
from flask_admin_compat.contrib.fileadmin import (
    BaseFileAdmin,
    BaseFileStorage,
    FileAdmin,
    FileInfo,
    FileTooLarge,
)

from .conftest import csrf

URL = "/admin/fileadmin/"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    (root / "docs").mkdir(parents=True)
    (root / "a.txt").write_text("alpha\n")
    (root / "big.bin").write_bytes(b"x" * 4096)
    (root / "docs" / "readme.md").write_text("# read me\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    return root


def snapshot(path: Path) -> dict[str, bytes | None]:
    """Every entry under `path` with its content (None for directories)."""
    return {str(p.relative_to(path)): (None if p.is_dir() else p.read_bytes())
            for p in sorted(path.rglob("*"))}


def serve(*views: object) -> tuple[Admin, TestClient]:
    app = FastAPI()
    admin = Admin(app, name="Files")
    for view in views:
        admin.add_view(view)  # type: ignore[arg-type]
    return admin, TestClient(app)


class TextFiles(FileAdmin):
    editable_extensions = ("txt", "md")


def names_in_order(html: str) -> list[str]:
    return re.findall(r'<span>([^<]+)</span></a>|<a href="/admin/fileadmin/(?:download|edit)'
                      r'[^"]*">([^<]+)</a>', html)


def toasts(html: str) -> list[dict[str, str]]:
    """The flashed messages a page shows."""
    return json.loads(re.search(r"data-toasts='([^']*)'", html).group(1))


def listed(html: str) -> list[str]:
    table = html.split("<tbody>", 1)[-1].split("</tbody>", 1)[0]
    return [a or b for a, b in names_in_order(table)]


# -- browsing ------------------------------------------------------------------------------
def test_browse_sort_and_subdirectories(root):
    _, client = serve(FileAdmin(str(root), name="Files"))
    page = client.get(URL)
    assert page.status_code == 200
    assert listed(page.text) == ["docs", "a.txt", "big.bin"]  # directories first, then names
    assert listed(client.get(URL + "?sort=size&desc=1").text)[1:] == ["big.bin", "a.txt"]
    assert listed(client.get(URL + "?sort=name&desc=1").text) == ["docs", "big.bin", "a.txt"]
    assert client.get(URL + "?sort=bogus&desc=x").status_code == 200  # bad params ignored
    sub = client.get(URL + "b/docs")
    assert sub.status_code == 200
    assert listed(sub.text) == ["..", "readme.md"]
    assert 'aria-current="page">docs</li>' in sub.text  # breadcrumb
    assert client.get(URL + "b/nothing-here").status_code == 404
    assert client.get(URL + "b/a.txt").status_code == 404  # a file is not a folder


def test_endpoints_resolve_like_flask_admin(root):
    admin, client = serve(FileAdmin(str(root)))
    assert admin.url_for("fileadmin.index_view") == URL
    assert admin.url_for("fileadmin.index_view", path="docs") == URL + "b/docs"
    assert admin.url_for("fileadmin.upload", path="docs") == URL + "upload/docs"
    assert admin.url_for("fileadmin.upload") == URL + "upload/"
    assert admin.url_for("fileadmin.mkdir") == URL + "mkdir/"
    assert admin.url_for("fileadmin.download", path="a b#1.txt") == \
        URL + "download/a%20b%231.txt"
    assert admin.url_for("fileadmin.rename", path="a.txt") == URL + "rename/?path=a.txt"
    assert admin.url_for("fileadmin.edit", path="a.txt") == URL + "edit/?path=a.txt"
    assert admin.url_for("fileadmin.delete") == URL + "delete/"
    assert admin.url_for("fileadmin.action_view") == URL + "action/"
    assert client.get(URL + "old_index", follow_redirects=False).headers["location"] == URL


# -- upload --------------------------------------------------------------------------------
def test_upload_allowed_and_refused_extensions(root):
    class Uploads(FileAdmin):
        allowed_extensions = ("txt", "md")

    _, client = serve(Uploads(str(root), endpoint="fileadmin"))
    token = csrf(client, URL)
    form = client.get(URL + "upload/")
    assert 'enctype="multipart/form-data"' in form.text and 'accept=".md,.txt"' in form.text
    ok = client.post(URL + "upload/", data={"csrf_token": token},
                     files={"upload": ("notes.txt", b"hello")}, follow_redirects=False)
    assert ok.status_code == 302 and ok.headers["location"] == URL
    assert (root / "notes.txt").read_bytes() == b"hello"
    refused = client.post(URL + "upload/", data={"csrf_token": token},
                          files={"upload": ("shell.php", b"<?php")})
    assert refused.status_code == 200 and "Invalid file type." in refused.text
    assert not (root / "shell.php").exists()
    into_sub = client.post(URL + "upload/docs", data={"csrf_token": token},
                           files={"upload": ("../../up.md", b"up")}, follow_redirects=False)
    assert into_sub.headers["location"] == URL + "b/docs"
    assert (root / "docs" / "up.md").read_bytes() == b"up"  # the name lost its "../"
    again = client.post(URL + "upload/", data={"csrf_token": token},
                        files={"upload": ("notes.txt", b"overwrite?")})
    assert "already exists" in again.text
    assert (root / "notes.txt").read_bytes() == b"hello"
    empty = client.post(URL + "upload/", data={"csrf_token": token, "upload": "not a file"})
    assert "File required." in empty.text


def test_upload_size_limit(root):
    class Small(FileAdmin):
        max_upload_size = 1000

    _, client = serve(Small(str(root), endpoint="fileadmin"))
    token = csrf(client, URL)
    over = client.post(URL + "upload/", data={"csrf_token": token},
                       files={"upload": ("big.txt", b"y" * 5000)})
    assert over.status_code == 200 and "too large" in over.text
    assert not (root / "big.txt").exists()
    huge = client.post(URL + "upload/", data={"csrf_token": token},
                       files={"upload": ("huge.txt", b"z" * (2 * 1024 * 1024))})
    assert huge.status_code == 413
    assert not (root / "huge.txt").exists()


def test_upload_limit_holds_without_content_length(root):
    class Small(FileAdmin):
        max_upload_size = 10

    _, client = serve(Small(str(root), endpoint="fileadmin"))
    token = csrf(client, URL)
    boundary = "b0undary"

    def body():  # a generator: sent chunked, with no Content-Length to trust
        yield (f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
               f'{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name="upload"; '
               'filename="h.txt"\r\nContent-Type: text/plain\r\n\r\n').encode()
        for _ in range(40):
            yield b"a" * 65536
        yield f"\r\n--{boundary}--\r\n".encode()

    response = client.post(URL + "upload/", content=body(),
                           headers={"content-type": f"multipart/form-data; boundary={boundary}"})
    assert response.status_code == 413
    assert not (root / "h.txt").exists()


# -- download ------------------------------------------------------------------------------
def test_download_is_an_attachment(root):
    (root / "page.html").write_text("<script>alert(1)</script>")
    _, client = serve(FileAdmin(str(root)))
    response = client.get(URL + "download/docs/readme.md")
    assert response.status_code == 200 and response.content == b"# read me\n"
    html = client.get(URL + "download/page.html")
    assert html.headers["content-disposition"].startswith("attachment;")
    assert html.headers["x-content-type-options"] == "nosniff"
    assert "text/html" not in html.headers["content-type"]
    assert client.get(URL + "download/docs").status_code == 404
    assert client.get(URL + "download/missing.txt").status_code == 404


def test_download_with_base_url_redirects(root):
    _, client = serve(FileAdmin(str(root), "/static/"))
    response = client.get(URL + "download/a.txt", follow_redirects=False)
    assert response.status_code == 302 and response.headers["location"] == "/static/a.txt"


# -- mkdir, rename, edit, delete -------------------------------------------------------------
def test_mkdir(root):
    calls = []

    class Dirs(FileAdmin):
        def on_mkdir(self, parent_dir, dir_name):
            calls.append((parent_dir, dir_name))

    _, client = serve(Dirs(str(root), endpoint="fileadmin"))
    token = csrf(client, URL)
    done = client.post(URL + "mkdir/docs", data={"csrf_token": token, "name": "new"},
                       follow_redirects=False)
    assert done.status_code == 302 and (root / "docs" / "new").is_dir()
    assert calls == [(str(root / "docs"), "new")]
    for bad in (".hidden", "a/b", "..", "x\x00y", "a\\b", "CON"):
        page = client.post(URL + "mkdir/", data={"csrf_token": token, "name": bad})
        assert page.status_code == 200 and "Invalid name" in page.text, bad
    again = client.post(URL + "mkdir/docs", data={"csrf_token": token, "name": "new"})
    assert "Failed to create directory" in again.text
    assert sorted(os.listdir(root)) == ["a.txt", "big.bin", "docs"]


def test_rename(root):
    calls = []

    class Renames(FileAdmin):
        def on_rename(self, full_path, dir_base, filename):
            calls.append((full_path, dir_base, filename))

    _, client = serve(Renames(str(root), endpoint="fileadmin"))
    token = csrf(client, URL)
    form = client.get(URL + "rename/?path=docs/readme.md")
    assert form.status_code == 200 and 'value="readme.md"' in form.text
    assert '<label class="form-label" for="file-name">' in form.text
    done = client.post(URL + "rename/?path=docs/readme.md",
                       data={"csrf_token": token, "path": "docs/readme.md", "name": "intro.md"},
                       follow_redirects=False)
    assert done.status_code == 302 and done.headers["location"] == URL + "b/docs"
    assert (root / "docs" / "intro.md").exists() and not (root / "docs" / "readme.md").exists()
    assert calls == [(str(root / "docs" / "readme.md"), str(root / "docs"), "intro.md")]
    clash = client.post(URL + "rename/", data={"csrf_token": token, "path": "a.txt",
                                               "name": "big.bin"})
    assert clash.status_code == 200 and "already exists" in clash.text  # the toast
    assert (root / "a.txt").read_text() == "alpha\n" and (root / "big.bin").stat().st_size == 4096
    slash = client.post(URL + "rename/", data={"csrf_token": token, "path": "a.txt",
                                               "name": "../a.txt"})
    assert "Invalid name" in slash.text and (root / "a.txt").exists()


def test_edit_text_files(root):
    (root / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    (root / "xss.txt").write_text("</textarea><script>alert(1)</script>")
    _, client = serve(TextFiles(str(root), endpoint="fileadmin"))
    token = csrf(client, URL)
    page = client.get(URL + "edit/?path=a.txt")
    assert page.status_code == 200 and "alpha" in page.text
    assert '<label class="form-label" for="file-content">' in page.text
    saved = client.post(URL + "edit/?path=a.txt",
                        data={"csrf_token": token, "content": "one\r\ntwo\r\n"},
                        follow_redirects=False)
    assert saved.status_code == 302 and saved.headers["location"] == URL
    assert (root / "a.txt").read_bytes() == b"one\ntwo\n"  # the file's own line endings
    escaped = client.get(URL + "edit/?path=xss.txt").text
    assert "<script>alert(1)" not in escaped and "&lt;/textarea&gt;&lt;script&gt;" in escaped
    not_utf8 = client.get(URL + "edit/?path=latin1.txt", follow_redirects=False)
    assert not_utf8.status_code == 302
    assert (root / "latin1.txt").read_bytes() == "caf\xe9".encode("latin-1")
    binary = client.get(URL + "edit/?path=big.bin", follow_redirects=False)
    assert binary.status_code == 302  # not an editable extension
    assert client.get(URL + "edit/?path=docs", follow_redirects=False).status_code == 302
    listing = client.get(URL).text
    assert URL + "edit/?path=a.txt" in listing and URL + "download/big.bin" in listing


def test_delete_file_and_directory_with_hooks(root):
    calls = []

    class Deletes(FileAdmin):
        def before_file_delete(self, full_path, filename):
            calls.append(("before_file", full_path, filename))

        def on_file_delete(self, full_path, filename):
            calls.append(("file", full_path, filename))

        def before_directory_delete(self, full_path, dir_name):
            calls.append(("before_dir", full_path, dir_name))

        def on_directory_delete(self, full_path, dir_name):
            calls.append(("dir", full_path, dir_name))

    _, client = serve(Deletes(str(root), endpoint="fileadmin"))
    token = csrf(client, URL)
    assert client.get(URL + "delete/").status_code == 405  # a state change is never a GET
    gone = client.post(URL + "delete/", data={"csrf_token": token, "path": "docs/readme.md"},
                       follow_redirects=False)
    assert gone.status_code == 302 and gone.headers["location"] == URL + "b/docs"
    assert not (root / "docs" / "readme.md").exists()
    client.post(URL + "delete/", data={"csrf_token": token, "path": "docs"})
    assert not (root / "docs").exists()
    readme = str(root / "docs" / "readme.md")
    assert calls == [("before_file", readme, "docs/readme.md"), ("file", readme, "docs/readme.md"),
                     ("before_dir", str(root / "docs"), "docs"), ("dir", str(root / "docs"),
                                                                  "docs")]
    assert client.post(URL + "delete/", data={"csrf_token": token, "path": "docs"}
                       ).status_code == 404
    root_itself = client.post(URL + "delete/", data={"csrf_token": token, "path": ""})
    assert root_itself.status_code == 200 and root.is_dir()


def test_batch_delete_action(root):
    _, client = serve(TextFiles(str(root), endpoint="fileadmin"))
    token = csrf(client, URL)
    listing = client.get(URL).text
    assert 'name="rowid" value="a.txt" form="fx-file-actions"' in listing
    client.post(URL + "action/", data={"csrf_token": token, "action": "delete",
                                       "rowid": ["a.txt", "big.bin", "../outside/secret.txt"]})
    assert sorted(os.listdir(root)) == ["docs"]
    assert (root.parent / "outside" / "secret.txt").exists()
    edit = client.post(URL + "action/", data={"csrf_token": token, "action": "edit",
                                              "rowid": ["docs/readme.md"]},
                       follow_redirects=False)
    assert edit.headers["location"] == URL + "edit/?path=docs%2Freadme.md"


def test_delete_page_and_batch_action_run_the_same_hooks_and_report_a_failure(root):
    calls = []

    class Guarded(FileAdmin):
        def before_file_delete(self, full_path, filename):
            if filename == "big.bin":
                raise ValueError("big.bin is kept")
            calls.append(filename)

    _, client = serve(Guarded(str(root), endpoint="fileadmin"))
    token = csrf(client, URL)
    page = client.post(URL + "delete/", data={"csrf_token": token, "path": "big.bin"})
    assert toasts(page.text) == [{"message": "Failed to delete file: big.bin is kept",
                                  "type": "danger"}]
    batch = client.post(URL + "action/", data={"csrf_token": token, "action": "delete",
                                               "rowid": ["a.txt", "big.bin"]})
    assert toasts(batch.text) == [
        {"message": 'File "a.txt" was successfully deleted.', "type": "success"},
        {"message": "Failed to delete file: big.bin is kept", "type": "danger"}]
    assert calls == ["a.txt"]
    assert sorted(os.listdir(root)) == ["big.bin", "docs"]


# -- switches ------------------------------------------------------------------------------
def test_each_can_switch_refuses(root):
    class Locked(TextFiles):
        can_upload = can_download = can_mkdir = can_rename = can_delete = False

    _, client = serve(Locked(str(root), endpoint="fileadmin"))
    token = csrf(client, URL)
    before = snapshot(root)
    listing = client.get(URL).text
    for hidden in ("upload/", "mkdir/", "rename/", "delete/", "download/"):
        assert URL + hidden not in listing, hidden
    assert client.get(URL + "upload/", follow_redirects=False).status_code == 302
    client.post(URL + "upload/", data={"csrf_token": token}, files={"upload": ("n.txt", b"n")})
    client.post(URL + "mkdir/", data={"csrf_token": token, "name": "made"})
    client.post(URL + "rename/", data={"csrf_token": token, "path": "a.txt", "name": "b.txt"})
    client.post(URL + "delete/", data={"csrf_token": token, "path": "a.txt"})
    client.post(URL + "action/", data={"csrf_token": token, "action": "delete",
                                       "rowid": "a.txt"})
    assert client.get(URL + "download/a.txt").status_code == 404
    assert snapshot(root) == before


def test_can_delete_dirs_false_keeps_directories(root):
    class Files(FileAdmin):
        can_delete_dirs = False

    _, client = serve(Files(str(root), endpoint="fileadmin"))
    token = csrf(client, URL)
    client.post(URL + "delete/", data={"csrf_token": token, "path": "docs"})
    assert (root / "docs" / "readme.md").exists()
    client.post(URL + "delete/", data={"csrf_token": token, "path": "a.txt"})
    assert not (root / "a.txt").exists()


def test_access_checks(root):
    class Closed(FileAdmin):
        def is_accessible(self):
            return False

    class Partial(FileAdmin):
        def is_accessible_path(self, path):
            return not path.startswith("docs")

    _, client = serve(Closed(str(root), endpoint="closed"),
                      Partial(str(root), endpoint="fileadmin"))
    assert client.get("/admin/closed/").status_code == 403
    assert client.get("/admin/closed/download/a.txt").status_code == 403
    assert "docs" not in listed(client.get(URL).text)
    assert client.get(URL + "b/docs", follow_redirects=False).status_code == 302
    token = csrf(client, URL)
    client.post(URL + "delete/", data={"csrf_token": token, "path": "docs/readme.md"})
    assert (root / "docs" / "readme.md").exists()


def test_per_user_base_path_and_verify_path(root, tmp_path):
    class PerUser(FileAdmin):
        def get_base_path(self):
            return str(root / "docs")

    _, client = serve(PerUser(str(root), endpoint="fileadmin"))
    assert listed(client.get(URL).text) == ["readme.md"]
    assert client.get(URL + "download/a.txt").status_code == 404
    assert client.get(URL + "b/%2e%2e").status_code == 404
    with pytest.raises(OSError):
        FileAdmin(str(tmp_path / "missing"))
    _, client = serve(FileAdmin(str(tmp_path / "missing"), verify_path=False))
    assert client.get(URL).status_code == 404


# -- confinement ---------------------------------------------------------------------------
def test_traversal_is_refused_and_touches_nothing_outside(root):
    tmp = root.parent
    (root / "escape").symlink_to(tmp / "outside", target_is_directory=True)
    (root / "escape.txt").symlink_to(tmp / "outside" / "secret.txt")
    (root / "inside-link").symlink_to(root / "docs", target_is_directory=True)
    _, client = serve(TextFiles(str(root), endpoint="fileadmin"))
    token = csrf(client, URL)
    outside_before = snapshot(tmp / "outside")
    secret = str(tmp / "outside" / "secret.txt")

    listing = listed(client.get(URL).text)
    assert "escape" not in listing and "escape.txt" not in listing and "inside-link" in listing
    for url in ("b/%2e%2e/", "b/%2e%2e/outside", "b/..%2f..%2f", "b//etc", "b/escape",
                "download/%2e%2e/outside/secret.txt", "download/..%2Foutside%2Fsecret.txt",
                "download/" + secret, "download/escape/secret.txt", "download/escape.txt",
                "download/a.txt%00.png", "edit/?path=../outside/secret.txt",
                "edit/?path=" + secret, "edit/?path=escape/secret.txt", "edit/?path=escape.txt",
                "rename/?path=../outside/secret.txt", "rename/?path=escape",
                "upload/%2e%2e/outside", "upload/escape", "mkdir/%2e%2e", "mkdir/escape",
                "b/C:/Windows", "b/docs\\..\\..\\outside"):
        assert client.get(URL + url).status_code == 404, url

    posts = [
        ("delete/", {"path": "../outside/secret.txt"}),
        ("delete/", {"path": secret}),
        ("delete/", {"path": "escape/secret.txt"}),
        ("delete/", {"path": "escape"}),
        ("delete/", {"path": "docs/../../outside"}),
        ("rename/", {"path": "../outside/secret.txt", "name": "mine.txt"}),
        ("rename/", {"path": "escape.txt", "name": "mine.txt"}),
        ("edit/?path=../outside/secret.txt", {"content": "owned"}),
        ("edit/?path=escape/secret.txt", {"content": "owned"}),
        ("mkdir/%2e%2e/outside", {"name": "evil"}),
        ("mkdir/escape", {"name": "evil"}),
        ("action/", {"action": "delete", "rowid": ["../outside/secret.txt", secret,
                                                   "escape/secret.txt", "escape.txt"]}),
    ]
    for url, data in posts:
        response = client.post(URL + url, data={"csrf_token": token, **data},
                               follow_redirects=False)
        assert response.status_code in (302, 404), (url, response.status_code)
    for url in ("upload/%2e%2e/outside", "upload/escape"):
        response = client.post(URL + url, data={"csrf_token": token},
                               files={"upload": ("evil.txt", b"evil")})
        assert response.status_code == 404, url

    assert snapshot(tmp / "outside") == outside_before
    assert sorted(os.listdir(tmp)) == ["outside", "root"]
    assert (root / "escape").is_symlink() and (root / "escape.txt").is_symlink()
    # a link that stays inside the root works, and deleting it removes the link only
    assert client.get(URL + "b/inside-link").status_code == 200
    client.post(URL + "delete/", data={"csrf_token": token, "path": "inside-link"})
    assert not (root / "inside-link").exists() and (root / "docs" / "readme.md").exists()


# -- CSRF and escaping ---------------------------------------------------------------------
def test_state_changes_need_the_csrf_token(root):
    _, client = serve(TextFiles(str(root), endpoint="fileadmin"))
    csrf(client, URL)  # the session exists, the token is just not sent
    before = snapshot(root)
    for url, data in [("delete/", {"path": "a.txt"}), ("mkdir/", {"name": "x"}),
                      ("rename/", {"path": "a.txt", "name": "b.txt"}),
                      ("edit/?path=a.txt", {"content": "changed"}),
                      ("action/", {"action": "delete", "rowid": "a.txt"}),
                      ("delete/", {"path": "a.txt", "csrf_token": "forged"})]:
        assert client.post(URL + url, data=data).status_code == 403, url
    upload = client.post(URL + "upload/", files={"upload": ("n.txt", b"n")})
    assert upload.status_code == 403
    assert snapshot(root) == before


def test_names_are_escaped(root):
    evil = '<script>alert(1)<script>".txt'
    (root / evil).write_text("x")
    (root / "<b>dir").mkdir()
    _, client = serve(TextFiles(str(root), endpoint="fileadmin"))
    page = client.get(URL).text
    assert "<script>alert(1)" not in page and "<b>dir" not in page
    assert "&lt;script&gt;alert(1)&lt;script&gt;&#34;.txt" in page
    assert "&lt;b&gt;dir" in page
    assert "%3Cscript%3Ealert%281%29%3Cscript%3E%22.txt" in page  # quoted in URLs
    assert client.get(URL + "edit/?path=" + evil.replace("<", "%3C")).status_code == 200
    rename = client.get(URL + "rename/", params={"path": evil}).text
    assert "<script>alert(1)" not in rename


# -- a storage of one's own ------------------------------------------------------------------
class MemoryStorage(BaseFileStorage):
    """The storage interface over a dict (as an S3 store would map keys)."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.dirs: set[str] = {""}

    def get_base_path(self) -> str:
        return "mem:"

    def exists(self, path):
        return path in self.files or path in self.dirs

    def is_dir(self, path):
        return path in self.dirs

    def stat(self, path):
        name = path.rsplit("/", 1)[-1]
        if path in self.dirs:
            return FileInfo(name, path, True, 0, 0.0)
        return FileInfo(name, path, False, len(self.files[path]), 1.0)

    def list(self, path):
        prefix = f"{path}/" if path else ""
        children = [p for p in [*self.files, *self.dirs]
                    if p and p.startswith(prefix) and "/" not in p[len(prefix):]]
        return [self.stat(p) for p in children]

    def read(self, path):
        return self.files[path]

    def write(self, path, data):
        self.files[path] = data

    def save_upload(self, path, stream, max_size=None, chunk_size=65536):
        if self.exists(path):
            raise FileExistsError(path)
        data = b""
        while chunk := stream.read(chunk_size):
            data += chunk
            if max_size is not None and len(data) > max_size:
                raise FileTooLarge(max_size)
        self.files[path] = data
        return len(data)

    def mkdir(self, path):
        if self.exists(path):
            raise FileExistsError(path)
        self.dirs.add(path)

    def rename(self, src, dst):
        if self.exists(dst):
            raise FileExistsError(dst)
        if src in self.files:
            self.files[dst] = self.files.pop(src)
        else:
            self.dirs.discard(src)
            self.dirs.add(dst)

    def delete(self, path):
        del self.files[path]

    def delete_tree(self, path):
        self.dirs = {d for d in self.dirs if d != path and not d.startswith(path + "/")}
        self.files = {f: v for f, v in self.files.items() if not f.startswith(path + "/")}


def test_a_custom_storage_plugs_in():
    storage = MemoryStorage()

    class Bucket(BaseFileAdmin):
        editable_extensions = ("txt",)

    _, client = serve(Bucket(storage=storage, name="Bucket", endpoint="bucket"))
    url = "/admin/bucket/"
    token = csrf(client, url)
    client.post(url + "mkdir/", data={"csrf_token": token, "name": "inbox"})
    client.post(url + "upload/inbox", data={"csrf_token": token},
                files={"upload": ("note.txt", io.BytesIO(b"hi"))})
    assert storage.files == {"inbox/note.txt": b"hi"}
    assert "note.txt" in client.get(url + "b/inbox").text
    assert client.get(url + "download/inbox/note.txt").content == b"hi"
    client.post(url + "edit/?path=inbox/note.txt", data={"csrf_token": token, "content": "ho"})
    client.post(url + "rename/", data={"csrf_token": token, "path": "inbox/note.txt",
                                       "name": "memo.txt"})
    assert storage.files == {"inbox/memo.txt": b"ho"}
    client.post(url + "delete/", data={"csrf_token": token, "path": "inbox"})
    assert storage.files == {} and storage.dirs == {""}
    assert client.get(url + "b/%2e%2e").status_code == 404
