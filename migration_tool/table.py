"""The translation table (`flask_admin_compat.translation`), loaded without importing the rest
of flask_admin_compat: the table is plain data, while the package pulls in FastAPI, the engine
and WTForms, which would more than double the codemod's start-up time.

The module is registered under its own name, so a later ``import flask_admin_compat`` (the
compat layer, or a test that patches the table) finds this very module: one table.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

NAME = "flask_admin_compat.translation"


def load() -> ModuleType:
    if NAME in sys.modules:
        return sys.modules[NAME]
    package = importlib.util.find_spec("flask_admin_compat")  # finds, does not import
    if package is None or not package.submodule_search_locations:
        raise ImportError("flask_admin_compat is not installed")
    path = Path(next(iter(package.submodule_search_locations))) / "translation.py"
    spec = importlib.util.spec_from_file_location(NAME, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[NAME] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[NAME]
        raise
    return module


translation = load()
