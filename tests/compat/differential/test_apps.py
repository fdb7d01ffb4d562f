"""The compat side of the differential suite runs the very modules of ``apps/`` with their
imports swapped (`harness.load_app`): the same views, configured alike, on the compat layer's
classes, and nothing left of the real Flask-Admin."""

from __future__ import annotations

import re
from typing import Any

import flask_admin
import pytest

import flask_admin_compat

from .harness import APPS, load_app

FEATURES = sorted(p.stem for p in APPS.glob("*.py") if p.stem != "__init__")


def plain(value: Any) -> Any:
    """A class attribute as comparable data: functions by kind, filter objects by type and
    label (each package has its own filter classes)."""
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if hasattr(value, "__code__"):
        return "<function>"
    if hasattr(value, "column") and hasattr(value, "data_type"):
        return (type(value).__name__, value.name)
    return value


def views(module: Any) -> dict[str, dict[str, Any]]:
    """The module's own classes -> the configuration written in them (not what a package's
    metaclass adds: Flask-Admin copies its exposed views and URL rules into each class)."""
    def own(value: Any) -> bool:
        return getattr(value, "__module__", module.__name__) == module.__name__
    return {name: {k: plain(v) for k, v in vars(cls).items()
                   if not k.startswith("_") and own(v)}
            for name, cls in vars(module).items()
            if isinstance(cls, type) and cls.__module__ == module.__name__}


def test_every_app_is_checked():
    assert FEATURES == ["export", "filters", "listing", "search"]


@pytest.mark.parametrize("feature", FEATURES)
def test_the_compat_side_runs_the_same_views(feature):
    real, compat = load_app(feature, flask_admin), load_app(feature, flask_admin_compat)
    assert views(compat) == views(real) != {}
    for name in views(compat):
        cls = getattr(compat, name)
        assert issubclass(cls, flask_admin_compat.contrib.sqla.ModelView), name
        assert not issubclass(cls, flask_admin.contrib.sqla.ModelView), name
    assert not re.search(r"\bflask_admin\b", repr(vars(compat)))
