"""Flask-Admin's ``flask_admin.babel``: translation functions (messages are not translated
here; the functions format like gettext so calling code keeps working)."""

from __future__ import annotations

from typing import Any


def gettext(string: str, **variables: Any) -> str:
    return string % variables if variables else string


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    variables.setdefault("num", num)
    return (singular if num == 1 else plural) % variables


def lazy_gettext(string: str, **variables: Any) -> str:
    return gettext(string, **variables)


_ = gettext
