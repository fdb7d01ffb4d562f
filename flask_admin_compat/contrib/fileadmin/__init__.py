"""Flask-Admin's ``flask_admin.contrib.fileadmin``: a file manager in the admin.

``FileAdmin(base_path, base_url=None, name=...)`` manages a local directory;
``BaseFileAdmin(storage=...)`` manages any `BaseFileStorage` (the interface is documented in
`flask_admin_compat.contrib.fileadmin.storage`), so an S3-compatible store can plug in.
"""

from .storage import BaseFileStorage, FileInfo, FileTooLarge, LocalFileStorage, PathOutsideRoot
from .view import BaseFileAdmin, FileAdmin, UploadedFile

__all__ = ["BaseFileAdmin", "BaseFileStorage", "FileAdmin", "FileInfo", "FileTooLarge",
           "LocalFileStorage", "PathOutsideRoot", "UploadedFile"]
