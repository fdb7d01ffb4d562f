"""Flask-Admin 2.x's ``flask_admin.theme``: accepted so ``Admin(theme=...)`` keeps working;
the pages always use Bootstrap 5 (a swatch only changes Flask-Admin's look)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Theme:
    folder: str = "admin"
    base_template: str = "admin/base.html"


@dataclass
class BootstrapTheme(Theme):
    swatch: str = "default"
    fluid: bool = False


@dataclass
class Bootstrap4Theme(BootstrapTheme):
    folder: str = "bootstrap4"


@dataclass
class Bootstrap5Theme(BootstrapTheme):
    folder: str = "bootstrap5"
