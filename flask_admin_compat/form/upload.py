"""Flask-Admin's ``flask_admin.form.upload``: file and image upload fields (real WTForms).

`FileUploadField` stores the upload under ``base_path/relative_path`` and puts the relative
file name in the model; a "delete" checkbox clears it.  `ImageUploadField` also checks that the
file is an image (with Pillow when installed, else by extension) and can make a thumbnail.
File names are made safe; nothing is written outside ``base_path``.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from wtforms import FileField
from wtforms.validators import ValidationError

CHUNK = 64 * 1024


def secure_filename(name: str) -> str:
    """A name with no directories, no control characters and no leading dots."""
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    name = os.path.basename(name.replace("\\", "/"))
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", name).strip("._")
    return name or "upload"


def namegen_filename(obj: Any, file_data: Any) -> str:
    """Flask-Admin's default: the uploaded file's (made-safe) name."""
    return secure_filename(getattr(file_data, "filename", "") or "upload")


class FileUploadField(FileField):
    def __init__(self, label: Any = None, validators: Any = None, base_path: Any = None,
                 relative_path: str = "", namegen: Callable[[Any, Any], str] | None = None,
                 allowed_extensions: Any = None, permission: int = 0o666,
                 allow_overwrite: bool = True, **kwargs: Any) -> None:
        self.base_path = base_path
        self.relative_path = relative_path
        self.namegen = namegen or namegen_filename
        self.allowed_extensions = allowed_extensions
        self.permission = permission
        self._allow_overwrite = allow_overwrite
        self._should_delete = False
        super().__init__(label, validators, **kwargs)

    # -- form data -----------------------------------------------------------------------
    def process_formdata(self, valuelist: list[Any]) -> None:
        uploads = [v for v in valuelist if hasattr(v, "filename") and v.filename]
        self.data = uploads[0] if uploads else None

    def process(self, formdata: Any, data: Any = None, **kwargs: Any) -> None:
        if formdata and f"_{self.name}-delete" in formdata:
            self._should_delete = True
        super().process(formdata, data, **kwargs)

    def _is_upload(self) -> bool:
        return hasattr(self.data, "filename") and bool(self.data.filename)

    def is_file_allowed(self, filename: str) -> bool:
        if not self.allowed_extensions:
            return True
        return "." in filename and filename.rsplit(".", 1)[1].lower() in {
            e.lower() for e in self.allowed_extensions}

    def pre_validate(self, form: Any) -> None:
        if self._is_upload() and not self.is_file_allowed(self.data.filename):
            raise ValidationError("Invalid file extension")
        if self._is_upload() and not self._allow_overwrite:
            target = self._target(self.namegen(None, self.data))
            if target.exists():
                raise ValidationError(f"File {target.name} already exists.")

    # -- saving --------------------------------------------------------------------------
    def _base(self) -> Path:
        base = self.base_path() if callable(self.base_path) else self.base_path
        if base is None:
            raise ValueError("FileUploadField needs base_path")
        return Path(base).resolve()

    def _target(self, name: str) -> Path:
        base = self._base()
        target = (base / self.relative_path / secure_filename(name)).resolve()
        if base not in target.parents:
            raise ValidationError("Invalid file name")
        return target

    def populate_obj(self, obj: Any, name: str) -> None:
        current = getattr(obj, name, None)
        if self._should_delete and not self._is_upload():
            self._delete_file(current)
            setattr(obj, name, None)
            return
        if not self._is_upload():
            return
        if current and self._allow_overwrite:
            self._delete_file(current)
        filename = self.namegen(obj, self.data)
        target = self._target(filename)
        self._save_file(self.data, target)
        setattr(obj, name, str(Path(self.relative_path) / target.name).lstrip("./")
                if self.relative_path else target.name)

    def _save_file(self, data: Any, target: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        stream = getattr(data, "file", None) or data
        with open(target, "wb") as out:
            while chunk := stream.read(CHUNK):
                out.write(chunk)
        os.chmod(target, self.permission)

    def _delete_file(self, relative: str | None) -> None:
        if not relative:
            return
        path = (self._base() / relative).resolve()
        if self._base() in path.parents and path.is_file():
            path.unlink()

    def __call__(self, **kwargs: Any) -> Markup:
        html = super().__call__(**kwargs)
        if self.object_data:
            html = Markup(
                '<div class="mb-1 small">{}</div><div class="form-check mb-1">'
                '<input class="form-check-input" type="checkbox" name="_{}-delete" '
                'id="_{}-delete"><label class="form-check-label" for="_{}-delete">'
                "Delete</label></div>").format(escape(self.object_data), self.name, self.name,
                                               self.name) + html
        return html


class ImageUploadField(FileUploadField):
    """An image upload; `thumbnail_size=(w, h, crop)` makes ``<name>_thumb.<ext>`` with
    Pillow (optional dependency)."""

    IMAGE_EXTENSIONS = ("gif", "jpg", "jpeg", "png", "tiff", "webp", "bmp")

    def __init__(self, label: Any = None, validators: Any = None, base_path: Any = None,
                 relative_path: str = "", namegen: Any = None, allowed_extensions: Any = None,
                 max_size: Any = None, thumbgen: Any = None, thumbnail_size: Any = None,
                 permission: int = 0o666, url_relative_path: str | None = None,
                 endpoint: str = "static", **kwargs: Any) -> None:
        self.max_size, self.thumbnail_size = max_size, thumbnail_size
        self.url_relative_path, self.endpoint = url_relative_path, endpoint
        super().__init__(label, validators, base_path, relative_path, namegen,
                         allowed_extensions or self.IMAGE_EXTENSIONS, permission, **kwargs)

    def pre_validate(self, form: Any) -> None:
        super().pre_validate(form)
        if self._is_upload():
            try:
                from PIL import Image
            except ImportError:
                return  # extension checked above; Pillow is optional
            stream = getattr(self.data, "file", self.data)
            try:
                Image.open(stream).verify()
            except Exception as exc:
                raise ValidationError("Invalid image") from exc
            finally:
                stream.seek(0)

    def _save_file(self, data: Any, target: Path) -> None:
        super()._save_file(data, target)
        if not self.thumbnail_size:
            return
        try:
            from PIL import Image
        except ImportError:
            return
        width, height = self.thumbnail_size[:2]
        with Image.open(target) as image:
            image.thumbnail((width, height))
            image.save(target.with_name(f"{target.stem}_thumb{target.suffix}"))
