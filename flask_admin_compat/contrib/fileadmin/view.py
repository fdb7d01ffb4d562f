"""Flask-Admin's ``FileAdmin`` views: browse, upload, download, mkdir, rename, delete, edit.

Same class attributes, hooks, URLs (``/admin/fileadmin/``, ``b/<path>``, ``upload/``,
``download/<path>``, ``mkdir/``, ``rename/?path=``, ``delete/``, ``edit/?path=``, ``action/``)
and endpoint names (``.index_view``, ``.upload``, ...) as Flask-Admin.  The files are reached
only through a `BaseFileStorage`; every request path goes through `paths.clean_path` and every
state change is a POST, which `BaseView._dispatch` checks for the session's CSRF token.

Differences from Flask-Admin, each for safety or because the page has no modal:
downloads are always attachments (``nosniff``); uploads over ``max_upload_size`` are refused;
an upload or rename never replaces an existing entry; with ``allowed_extensions`` a file cannot
be renamed to another extension either; the batch delete action runs the delete hooks; the
``*_modal`` options are accepted and ignored (the forms are pages); the default order is
directories first, then names.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, BinaryIO
from urllib.parse import quote, urlencode, urljoin

from starlette.datastructures import ImmutableMultiDict, UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.types import Message, Receive
from wtforms import Field, fields, validators

from ...actions import ActionsMixin, action, declared_actions
from ...babel import gettext, lazy_gettext
from ...base import BaseView, expose, request_form
from ...errors import abort
from ...form import BaseForm
from ...helpers import flash, is_safe_url
from . import paths
from .storage import BaseFileStorage, FileTooLarge, LocalFileStorage, PathOutsideRoot

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_FORM_OVERHEAD = 1024 * 1024  # multipart headers and the other fields of an upload
# URL rules whose ``path`` goes in the URL path rather than the query string
_PATH_RULES = {"index_view": "b/", "index": "b/", "upload": "upload/", "mkdir": "mkdir/",
               "download": "download/"}


class RequestTooLarge(Exception):
    """The request body went past the view's limit while it was being read."""


class UploadedFile:
    """An uploaded file with the surface of Werkzeug's ``FileStorage`` (``filename``,
    ``stream``, ``content_type``, ``read``, ``save``), for Flask-Admin code that overrides
    ``save_file`` or ``on_file_upload``."""

    def __init__(self, upload: UploadFile) -> None:
        self._upload = upload
        self.filename = upload.filename or ""
        self.content_type = upload.content_type
        self.headers = upload.headers
        self.stream: BinaryIO = upload.file
        self.size = upload.size

    @property
    def mimetype(self) -> str:
        return (self.content_type or "").split(";")[0].strip()

    def __bool__(self) -> bool:
        return bool(self.filename)

    def read(self, size: int = -1) -> bytes:
        return self.stream.read(size)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.stream.seek(offset, whence)

    def tell(self) -> int:
        return self.stream.tell()

    def save(self, dst: Any, buffer_size: int = 16384) -> None:
        import shutil

        if isinstance(dst, (str, os.PathLike)):
            with open(dst, "wb") as out:
                shutil.copyfileobj(self.stream, out, buffer_size)
        else:
            shutil.copyfileobj(self.stream, dst, buffer_size)

    def __repr__(self) -> str:
        return f"<UploadedFile {self.filename!r} ({self.content_type})>"


def _redirect(url: str) -> Response:
    return RedirectResponse(url, status_code=302)  # Flask's redirect()


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


class BaseFileAdmin(BaseView, ActionsMixin):
    """Flask-Admin's ``BaseFileAdmin``: a file manager over any `BaseFileStorage`."""

    can_upload = True
    can_download = True
    can_delete = True
    can_delete_dirs = True
    can_mkdir = True
    can_rename = True
    allowed_extensions: Iterable[str] | None = None
    """Extensions (lower case, no dot) that may be uploaded; None allows all."""
    editable_extensions: Iterable[str] = ()
    """Extensions (lower case, no dot) of files edited as UTF-8 text."""
    max_upload_size: int | None = 50 * 1024 * 1024
    """Largest upload in bytes (None: no limit); a larger request is answered with 413."""
    upload_chunk_size = 64 * 1024

    list_template = "admin/file/list.html"
    upload_template = "admin/file/form.html"
    mkdir_template = "admin/file/form.html"
    rename_template = "admin/file/form.html"
    edit_template = "admin/file/form.html"
    # Modals are not provided: the options are accepted and the forms show as pages.
    upload_modal_template = mkdir_modal_template = "admin/file/form.html"
    rename_modal_template = edit_modal_template = "admin/file/form.html"
    rename_modal = upload_modal = mkdir_modal = edit_modal = False
    form_base_class: type[BaseForm] = BaseForm

    possible_columns = ("name", "rel_path", "is_dir", "size", "date")
    column_list: Iterable[str] = ("name", "size", "date")
    column_sortable_list: Iterable[str] = column_list
    default_sort_column: str | None = None
    default_desc = 0
    column_labels: Mapping[str, str] = {c: c.capitalize() for c in column_list}
    date_format = "%Y-%m-%d %H:%M:%S"

    def __init__(self, base_url: str | None = None, name: str | None = None,
                 category: str | None = None, endpoint: str | None = None,
                 url: str | None = None, verify_path: bool = True,
                 menu_class_name: str | None = None, menu_icon_type: str | None = None,
                 menu_icon_value: str | None = None,
                 storage: BaseFileStorage | None = None) -> None:
        if storage is None:
            raise TypeError(f"{type(self).__name__} needs a storage= (a BaseFileStorage)")
        self.base_url = base_url
        self.storage = storage
        self.verify_path = verify_path
        if self.allowed_extensions and not isinstance(self.allowed_extensions, set):
            self.allowed_extensions = {e.lower().lstrip(".") for e in self.allowed_extensions}
        if self.editable_extensions and not isinstance(self.editable_extensions, set):
            self.editable_extensions = {e.lower().lstrip(".")
                                        for e in self.editable_extensions}
        super().__init__(name, category, endpoint, url, menu_class_name=menu_class_name,
                         menu_icon_type=menu_icon_type, menu_icon_value=menu_icon_value)

    # -- Flask-Admin's overridables -----------------------------------------------------
    def is_accessible_path(self, path: str) -> bool:
        """Whether the current user may see `path` (relative to the root)."""
        return True

    def get_base_path(self) -> str:
        """The root; override for per-user directories (the storage is rebased to it)."""
        return self.storage.get_base_path()

    def get_base_url(self) -> str | None:
        return self.base_url

    def is_file_allowed(self, filename: str) -> bool:
        """Whether `filename` may be uploaded (``allowed_extensions``)."""
        return not self.allowed_extensions or \
            paths.extension(filename) in self.allowed_extensions  # type: ignore[operator]

    def is_file_editable(self, filename: str) -> bool:
        """Whether `filename` is edited as text (``editable_extensions``)."""
        return bool(self.editable_extensions) and \
            paths.extension(filename) in self.editable_extensions  # type: ignore[operator]

    def is_in_folder(self, base_path: str, directory: str) -> bool:
        try:
            self._storage().relative_path(directory)
        except (ValueError, PathOutsideRoot):
            return False
        return True

    def is_action_allowed(self, name: str) -> bool:
        if name == "delete":
            return bool(self.can_delete)
        if name == "edit":
            return bool(self.editable_extensions)
        return True

    def is_column_visible(self, column: str) -> bool:
        return column in self.column_list

    def is_column_sortable(self, column: str) -> bool:
        return column in self.column_sortable_list

    def column_label(self, column: str) -> str:
        return self.column_labels.get(column, column.capitalize())

    def timestamp_format(self, timestamp: float) -> str:
        if not timestamp:
            return ""
        return datetime.fromtimestamp(timestamp).strftime(self.date_format)

    def validate_form(self, form: BaseForm) -> bool:
        request = self.request
        return request is not None and request.method in ("POST", "PUT") and form.validate()

    def save_file(self, path: str, file_data: UploadedFile) -> None:
        """Store an upload at `path` (a full path, as Flask-Admin passes it)."""
        storage = self._storage()
        file_data.seek(0)
        storage.save_upload(storage.relative_path(path), file_data.stream,
                            self.max_upload_size, self.upload_chunk_size)

    def delete_file(self, file_path: str) -> None:
        storage = self._storage()
        storage.delete(storage.relative_path(file_path))

    # hooks: full paths as in Flask-Admin (``full_path`` is the storage's path string)
    def on_rename(self, full_path: str, dir_base: str, filename: str) -> None:
        pass

    def on_edit_file(self, full_path: str, path: str) -> None:
        pass

    def on_file_upload(self, directory: str, path: str, filename: str) -> None:
        pass

    def on_mkdir(self, parent_dir: str, dir_name: str) -> None:
        pass

    def before_directory_delete(self, full_path: str, dir_name: str) -> None:
        pass

    def before_file_delete(self, full_path: str, filename: str) -> None:
        pass

    def on_directory_delete(self, full_path: str, dir_name: str) -> None:
        pass

    def on_file_delete(self, full_path: str, filename: str) -> None:
        pass

    # -- forms (Flask-Admin's, real WTForms) ---------------------------------------------
    def get_upload_form(self) -> type[BaseForm]:
        class UploadForm(self.form_base_class):  # type: ignore[name-defined, misc]
            upload = fields.FileField(lazy_gettext("File to upload"))

            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                self.admin = kwargs["admin"]

            def validate_upload(self, field: Field) -> None:
                data = self.upload.data
                if not isinstance(data, UploadedFile) or not data:
                    raise validators.ValidationError(gettext("File required."))
                if not self.admin.is_file_allowed(data.filename):
                    raise validators.ValidationError(gettext("Invalid file type."))
                limit = self.admin.max_upload_size
                if limit is not None and data.size is not None and data.size > limit:
                    raise validators.ValidationError(gettext(
                        "The file is too large (the limit is %(size)s).",
                        size=_megabytes(limit)))

        return UploadForm

    def get_edit_form(self) -> type[BaseForm]:
        class EditForm(self.form_base_class):  # type: ignore[name-defined, misc]
            content = fields.TextAreaField(lazy_gettext("Content"),
                                           (validators.InputRequired(),))

        return EditForm

    def get_name_form(self) -> type[BaseForm]:
        def validate_name(form: BaseForm, field: Field) -> None:
            if not paths.is_valid_name(field.data):
                raise validators.ValidationError(gettext("Invalid name"))

        class NameForm(self.form_base_class):  # type: ignore[name-defined, misc]
            name = fields.StringField(lazy_gettext("Name"),
                                      validators=[validators.InputRequired(), validate_name])
            path = fields.HiddenField()

        return NameForm

    def get_delete_form(self) -> type[BaseForm]:
        class DeleteForm(self.form_base_class):  # type: ignore[name-defined, misc]
            path = fields.HiddenField(validators=[validators.InputRequired()])

        return DeleteForm

    def get_action_form(self) -> type[BaseForm]:
        class ActionForm(self.form_base_class):  # type: ignore[name-defined, misc]
            action = fields.HiddenField()
            url = fields.HiddenField()

        return ActionForm

    def upload_form(self) -> BaseForm:
        data = self._formdata()
        form_class = self.get_upload_form()
        return form_class(data, admin=self) if data else form_class(admin=self)

    def name_form(self) -> BaseForm:
        data = self._formdata()
        args = self._args()
        form_class = self.get_name_form()
        if data:
            return form_class(data)
        return form_class(args) if args else form_class()

    def edit_form(self) -> BaseForm:
        data = self._formdata()
        return self.get_edit_form()(data) if data else self.get_edit_form()()

    def delete_form(self) -> BaseForm:
        data = self._formdata()
        return self.get_delete_form()(data) if data else self.get_delete_form()()

    def action_form(self) -> BaseForm:
        data = self._formdata()
        return self.get_action_form()(data) if data else self.get_action_form()()

    # -- request plumbing ----------------------------------------------------------------
    def _args(self) -> ImmutableMultiDict[str, str]:
        request = self.request
        return ImmutableMultiDict(request.query_params.multi_items() if request else [])

    def _formdata(self) -> ImmutableMultiDict[str, Any]:
        """The POST form with uploads as `UploadedFile` (the form data a WTForm takes)."""
        return ImmutableMultiDict([
            (k, UploadedFile(v) if isinstance(v, UploadFile) else v)
            for k, v in request_form(self.request).multi_items()])

    def _storage(self) -> BaseFileStorage:
        base = self.get_base_path()
        if base != self.storage.get_base_path():
            return self.storage.rebase(base)
        return self.storage

    def _normalize_path(self, path: str | None) -> tuple[str, str, str]:
        """(base path, full path, clean relative path); 404 unless inside and existing."""
        storage = self._storage()
        try:
            rel = paths.clean_path(path)
        except ValueError:
            abort(404)
        if not storage.exists(rel):
            abort(404)
        return storage.get_base_path(), storage.full_path(rel), rel

    def _flash_errors(self, form: BaseForm, message: str) -> None:
        for field_errors in form.errors.values():
            for error in field_errors if isinstance(field_errors, list) else [field_errors]:
                flash(gettext(message, error=error), "error")

    def _build_url(self, method: str, values: dict[str, Any]) -> str | None:
        """URLs whose ``path`` lives in the URL path (``b/<path>``, ``download/<path>``);
        the other endpoints take it as a query parameter like Flask-Admin's."""
        prefix = _PATH_RULES.get(method)
        if prefix is None:
            return None
        values = dict(values)
        path = values.pop("path", None)
        url = (self.url or "").rstrip("/") + "/"
        if path:
            url += prefix + quote(str(path), safe="/")
        elif method not in ("index_view", "index"):
            url += prefix
        return url + ("?" + urlencode(values, doseq=True) if values else "")

    def _get_dir_url(self, endpoint: str, path: str | None = None, **kwargs: Any) -> str:
        if path:
            kwargs["path"] = path
        return self.get_url(endpoint, **kwargs)

    def _get_file_url(self, path: str, **kwargs: Any) -> str:
        route = ".edit" if self.is_file_editable(path) else ".download"
        return self.get_url(route, path=path, **kwargs)

    def _get_breadcrumbs(self, path: str) -> list[tuple[str, str]]:
        crumbs, acc = [], []
        for name in path.split("/") if path else []:
            acc.append(name)
            crumbs.append((name, "/".join(acc)))
        return crumbs

    def _permission_denied(self) -> Response:
        flash(gettext("Permission denied."), "error")
        return _redirect(self._get_dir_url(".index_view"))

    # -- request size ---------------------------------------------------------------------
    async def _dispatch(self, request: Request, attr: str, kwargs: dict[str, Any]) -> Response:
        if request.method in _SAFE_METHODS or self.max_upload_size is None:
            return await super()._dispatch(request, attr, kwargs)
        limit = self.max_upload_size + _FORM_OVERHEAD
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            return self._too_large(request)
        limited = Request(request.scope, _limited_receive(request.receive, limit))
        try:
            return await super()._dispatch(limited, attr, kwargs)
        except RequestTooLarge:
            return self._too_large(request)

    def _too_large(self, request: Request) -> Response:
        size = _megabytes(self.max_upload_size or 0)
        return self.admin.core.error_response(  # type: ignore[union-attr]
            request, 413, "Upload too large", f"Uploads are limited to {size}.")

    # -- views ---------------------------------------------------------------------------
    @expose("/old_index")
    @expose("/old_b/<path:path>")
    def index(self, path: str | None = None) -> Response:
        """Flask-Admin's deprecated listing URLs: a redirect to `index_view`."""
        return _redirect(self._get_dir_url(".index_view", path))

    @expose("/")
    @expose("/b/<path:path>")
    def index_view(self, path: str | None = None) -> Any:
        delete_form = self.delete_form() if self.can_delete else None
        base_path, directory, path = self._normalize_path(path)
        storage = self._storage()
        if not storage.is_dir(path):
            abort(404)
        if not self.is_accessible_path(path):
            return self._permission_denied()
        items = [tuple(info) for info in storage.list(path)
                 if self.is_accessible_path(info.path)]
        args = self._args()
        sort_column = args.get("sort") or self.default_sort_column
        sort_desc = _int(args.get("desc")) or self.default_desc
        if sort_column not in self.possible_columns:
            sort_column = self.default_sort_column
        if sort_column in self.possible_columns:
            index = self.possible_columns.index(sort_column)
            items.sort(key=lambda item: (item[index] is None, item[index]),
                       reverse=bool(sort_desc))
        else:
            items.sort(key=lambda item: (not item[2], str(item[0]).lower(), item[0]))
        if path:
            items.insert(0, ("..", paths.parent(path) or None, True, 0, 0))
        actions, actions_confirmation = self.get_actions_list()
        action_form = self.action_form() if actions else None

        def sort_url(column: str, path: str | None, invert: bool = False) -> str:
            desc = 1 if invert and not sort_desc else None
            return self.get_url(".index_view", path=path or None, sort=column, desc=desc)

        return self.render(
            self.list_template, dir_path=path, breadcrumbs=self._get_breadcrumbs(path),
            get_dir_url=self._get_dir_url, get_file_url=self._get_file_url, items=items,
            actions=actions, actions_confirmation=actions_confirmation,
            action_form=action_form, delete_form=delete_form, sort_column=sort_column,
            sort_desc=sort_desc, sort_url=sort_url, timestamp_format=self.timestamp_format)

    @expose("/upload/", methods=("GET", "POST"))
    @expose("/upload/<path:path>", methods=("GET", "POST"))
    def upload(self, path: str | None = None) -> Any:
        base_path, directory, path = self._normalize_path(path)
        if not self._storage().is_dir(path):
            abort(404)
        if not self.can_upload:
            flash(gettext("File uploading is disabled."), "error")
            return _redirect(self._get_dir_url(".index_view", path))
        if not self.is_accessible_path(path):
            return self._permission_denied()
        form = self.upload_form()
        if self.validate_form(form):
            try:
                self._save_form_files(directory, path, form)
                flash(gettext("Successfully saved file: %(name)s",
                              name=form.upload.data.filename), "success")  # type: ignore[attr-defined]
                return _redirect(self._get_dir_url(".index_view", path))
            except FileTooLarge as ex:
                flash(gettext("Failed to save file: %(error)s", error=gettext(
                    "The file is too large (the limit is %(size)s).",
                    size=_megabytes(ex.limit))), "error")
            except Exception as ex:
                flash(gettext("Failed to save file: %(error)s", error=ex), "error")
        else:
            self._flash_errors(form, "Failed to upload file: %(error)s")
        return self.render(self.upload_template, form=form, header_text=gettext("Upload File"),
                           dir_url=self._get_dir_url(".index_view", path), modal=None,
                           multipart=True)

    def _save_form_files(self, directory: str, path: str, form: Any) -> None:
        storage = self._storage()
        name = paths.secure_filename(form.upload.data.filename)
        if not name or not paths.is_valid_name(name):
            raise ValueError(gettext("Invalid name"))
        if not self.is_file_allowed(name):
            raise ValueError(gettext("Invalid file type."))
        rel = paths.join(path, name)
        if storage.exists(rel):
            raise FileExistsError(gettext('File "%(name)s" already exists.', name=rel))
        full = storage.full_path(rel)
        self.save_file(full, form.upload.data)
        self.on_file_upload(directory, path, full)

    @expose("/download/<path:path>")
    def download(self, path: str | None = None) -> Any:
        if not self.can_download:
            abort(404)
        base_path, directory, path = self._normalize_path(path)
        storage = self._storage()
        if not path or storage.is_dir(path) or not self.is_accessible_path(path):
            abort(404)
        base_url = self.get_base_url()
        if base_url:
            base_url = urljoin(self.get_url(".index_view"), base_url)
            return _redirect(urljoin(quote(base_url), quote(path)))
        return storage.send_file(path)

    @expose("/mkdir/", methods=("GET", "POST"))
    @expose("/mkdir/<path:path>", methods=("GET", "POST"))
    def mkdir(self, path: str | None = None) -> Any:
        base_path, directory, path = self._normalize_path(path)
        storage = self._storage()
        if not storage.is_dir(path):
            abort(404)
        dir_url = self._get_dir_url(".index_view", path)
        if not self.can_mkdir:
            flash(gettext("Directory creation is disabled."), "error")
            return _redirect(dir_url)
        if not self.is_accessible_path(path):
            return self._permission_denied()
        form = self.name_form()
        if self.validate_form(form):
            name = form.name.data  # type: ignore[attr-defined]
            try:
                storage.mkdir(paths.join(path, name))
                self.on_mkdir(directory, name)
                flash(gettext("Successfully created directory: %(directory)s",
                              directory=name), "success")
                return _redirect(dir_url)
            except Exception as ex:
                flash(gettext("Failed to create directory: %(error)s", error=ex), "error")
        else:
            self._flash_errors(form, "Failed to create directory: %(error)s")
        return self.render(self.mkdir_template, form=form, dir_url=dir_url,
                           header_text=gettext("Create Directory"))

    @expose("/delete/", methods=("POST",))
    def delete(self) -> Any:
        form = self.delete_form()
        raw = form.path.data  # type: ignore[attr-defined]
        try:
            clean = paths.clean_path(raw) if raw else ""
        except ValueError:
            abort(404)
        return_url = self._get_dir_url(".index_view", paths.parent(clean)) if clean \
            else self.get_url(".index_view")
        if not (self.validate_form(form) and clean):
            self._flash_errors(form, "Failed to delete file. %(error)s")
            return _redirect(return_url)
        base_path, full_path, path = self._normalize_path(clean)
        if not self.can_delete:
            flash(gettext("Deletion is disabled."), "error")
            return _redirect(return_url)
        if not self.is_accessible_path(path):
            return self._permission_denied()
        storage = self._storage()
        if storage.is_dir(path):
            if not self.can_delete_dirs:
                flash(gettext("Directory deletion is disabled."), "error")
                return _redirect(return_url)
            try:
                self.before_directory_delete(full_path, path)
                storage.delete_tree(path)
                self.on_directory_delete(full_path, path)
                flash(gettext('Directory "%(path)s" was successfully deleted.', path=path),
                      "success")
            except Exception as ex:
                flash(gettext("Failed to delete directory: %(error)s", error=ex), "error")
        else:
            self._delete_one_file(full_path, path)
        return _redirect(return_url)

    @expose("/rename/", methods=("GET", "POST"))
    def rename(self) -> Any:
        form = self.name_form()
        raw = form.path.data  # type: ignore[attr-defined]
        if not raw:
            return _redirect(self.get_url(".index_view"))
        base_path, full_path, path = self._normalize_path(raw)
        if not path:
            return _redirect(self.get_url(".index_view"))
        if self.request is not None and self.request.method == "GET":
            form.name.data = paths.basename(path)  # type: ignore[attr-defined]
        return_url = self._get_dir_url(".index_view", paths.parent(path))
        if not self.can_rename:
            flash(gettext("Renaming is disabled."), "error")
            return _redirect(return_url)
        if not self.is_accessible_path(path):
            return self._permission_denied()
        storage = self._storage()
        if self.validate_form(form):
            try:
                filename = paths.secure_filename(form.name.data)  # type: ignore[attr-defined]
                if not paths.is_valid_name(filename):
                    raise ValueError(gettext("Invalid name"))
                if not storage.is_dir(path) and not self.is_file_allowed(filename):
                    raise ValueError(gettext("Invalid file type."))
                target = paths.join(paths.parent(path), filename)
                storage.rename(path, target)
                dir_base = storage.full_path(paths.parent(path))
                self.on_rename(full_path, dir_base, filename)
                flash(gettext('Successfully renamed "%(src)s" to "%(dst)s"',
                              src=paths.basename(path), dst=filename), "success")
            except Exception as ex:
                flash(gettext("Failed to rename: %(error)s", error=ex), "error")
            return _redirect(return_url)
        self._flash_errors(form, "Failed to rename: %(error)s")
        return self.render(self.rename_template, form=form, path=paths.parent(path),
                           name=paths.basename(path), dir_url=return_url,
                           header_text=gettext("Rename %(name)s", name=paths.basename(path)))

    @expose("/edit/", methods=("GET", "POST"))
    def edit(self) -> Any:
        requested = self._args().getlist("path")
        if not requested:
            return _redirect(self.get_url(".index_view"))
        next_url = self.get_url(".edit", path=requested[1:]) if len(requested) > 1 else None
        base_path, full_path, path = self._normalize_path(requested[0])
        storage = self._storage()
        if not path or storage.is_dir(path) or not self.is_accessible_path(path) \
                or not self.is_file_editable(path):
            return self._permission_denied()
        dir_url = self._get_dir_url(".index_view", paths.parent(path))
        next_url = next_url or dir_url
        form = self.edit_form()
        error = False
        if self.validate_form(form):
            content = str(form.content.data)  # type: ignore[attr-defined]
            try:
                if b"\r\n" not in storage.read(path):
                    content = content.replace("\r\n", "\n")  # a textarea always sends CRLF
                storage.write(path, content.encode("utf-8"))
            except OSError:
                flash(gettext("Error saving changes to %(name)s.", name=path), "error")
                error = True
            else:
                self.on_edit_file(full_path, path)
                flash(gettext("Changes to %(name)s saved successfully.", name=path),
                      "success")
                return _redirect(next_url)
        else:
            self._flash_errors(form, "Failed to edit file. %(error)s")
            if not form.errors:
                try:
                    form.content.data = storage.read(path).decode("utf-8")  # type: ignore[attr-defined]
                except UnicodeDecodeError:
                    flash(gettext("Cannot edit %(name)s: it is not UTF-8 text.", name=path),
                          "error")
                    error = True
                except OSError:
                    flash(gettext("Error reading %(name)s.", name=path), "error")
                    error = True
            if error:
                return _redirect(next_url)
        return self.render(self.edit_template, dir_url=dir_url, path=path, form=form,
                           error=error, header_text=gettext("Editing %(path)s", path=path))

    @expose("/action/", methods=("POST",))
    def action_view(self) -> Any:
        return self.handle_action()

    def handle_action(self, return_view: str | None = None) -> Any:
        """Run the batch action named by the form's ``action`` on its ``rowid`` paths."""
        form = self.action_form()
        if self.validate_form(form):
            name = form.action.data  # type: ignore[attr-defined]
            handler = self._action_handlers().get(name)
            if handler is not None and self.is_action_allowed(name):
                response = handler(request_form(self.request).getlist("rowid"))
                if response is not None:
                    return response
        if return_view:
            url = self.get_url("." + return_view)
        else:
            target = form.url.data  # type: ignore[attr-defined]
            url = target if is_safe_url(target) else self.get_url(".index_view")
        return _redirect(url)

    def _action_handlers(self) -> dict[str, Callable[[list[str]], Any]]:
        return {found.name: getattr(self, found.attr) for found in declared_actions(type(self))}

    @action("delete", lazy_gettext("Delete"),
            lazy_gettext("Are you sure you want to delete these files?"))
    def action_delete(self, items: Iterable[str]) -> None:
        if not self.can_delete:
            flash(gettext("File deletion is disabled."), "error")
            return
        storage = self._storage()
        for raw in items:
            try:
                path = paths.clean_path(raw)
            except ValueError:
                continue
            if not path or not storage.exists(path) or storage.is_dir(path) \
                    or not self.is_accessible_path(path):
                continue
            self._delete_one_file(storage.full_path(path), path)

    def _delete_one_file(self, full_path: str, path: str) -> None:
        """Delete one file through the hooks, flashing the outcome: the delete page and the
        batch delete action both come here."""
        try:
            self.before_file_delete(full_path, path)
            self.delete_file(full_path)
            self.on_file_delete(full_path, path)
            flash(gettext('File "%(name)s" was successfully deleted.', name=path), "success")
        except Exception as ex:
            flash(gettext("Failed to delete file: %(name)s", name=ex), "error")

    @action("edit", lazy_gettext("Edit"))
    def action_edit(self, items: Iterable[str]) -> Response:
        return _redirect(self.get_url(".edit", path=list(items)))


def _limited_receive(receive: Receive, limit: int) -> Receive:
    """`receive` that raises `RequestTooLarge` once the body passes `limit` bytes, so a
    request is refused while it is read instead of after it is stored."""
    seen = 0

    async def limited() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise RequestTooLarge
        return message

    return limited


class FileAdmin(BaseFileAdmin):
    """Flask-Admin's ``FileAdmin``: manage the files under `base_path` on this machine.

    ``FileAdmin(path, '/static/', name='Static Files')``: with a `base_url`, downloads
    redirect to ``base_url + path`` (files the host serves itself); without, the admin sends
    them.
    """

    def __init__(self, base_path: str | bytes | os.PathLike[str], base_url: str | None = None,
                 name: str | None = None, category: str | None = None,
                 endpoint: str | None = None, url: str | None = None,
                 verify_path: bool = True, menu_class_name: str | None = None,
                 menu_icon_type: str | None = None, menu_icon_value: str | None = None
                 ) -> None:
        storage = LocalFileStorage(base_path, verify=verify_path)
        super().__init__(base_url, name, category, endpoint, url, verify_path,
                         menu_class_name=menu_class_name, menu_icon_type=menu_icon_type,
                         menu_icon_value=menu_icon_value, storage=storage)


__all__ = ["BaseFileAdmin", "FileAdmin", "UploadedFile"]
