"""Flask-Admin's ``flask_admin.menu``: sidebar entries (categories, views, links)."""

from __future__ import annotations

from typing import Any

# Flask-Admin icon names (Glyphicons/Font Awesome) have no meaning in Bootstrap Icons; the
# icon value is used when it is a Bootstrap Icons name, else a neutral icon.
_ICON_PREFIXES = ("glyphicon-", "fa-", "fa ", "bi-", "bi ")


def _icon(icon_type: str | None, icon_value: str | None) -> str | None:
    if not icon_value:
        return None
    value = icon_value.strip()
    for prefix in _ICON_PREFIXES:
        if value.startswith(prefix):
            value = value[len(prefix):]
    return value.split()[-1] if value else None


class BaseMenu:
    def __init__(self, name: str, class_name: str | None = None, icon_type: str | None = None,
                 icon_value: str | None = None, target: str | None = None) -> None:
        self.name = name
        self.class_name = class_name
        self.icon_type = icon_type
        self.icon_value = icon_value
        self.target = target
        self.children: list[Any] = []

    def icon_name(self) -> str | None:
        return _icon(self.icon_type, self.icon_value)

    def is_category(self) -> bool:
        return False

    def is_visible(self) -> bool:
        return True

    def is_accessible(self) -> bool:
        return True

    def get_url(self) -> str | None:
        return None

    def endpoint_name(self) -> str:
        return self.name

    def is_index(self, admin: Any) -> bool:
        return False


class MenuCategory(BaseMenu):
    def is_category(self) -> bool:
        return True

    def get_children(self) -> list[Any]:
        return [c for c in self.children if c.is_visible() and c.is_accessible()]


class MenuView(BaseMenu):
    def __init__(self, name: str, view: Any = None, cache: bool = True) -> None:
        super().__init__(name, getattr(view, "menu_class_name", None),
                         getattr(view, "menu_icon_type", None),
                         getattr(view, "menu_icon_value", None))
        self._view = view

    def get_url(self) -> str | None:
        url = getattr(self._view, "url", None)
        return (url.rstrip("/") + "/") if url is not None else None

    def is_visible(self) -> bool:
        return bool(self._view.is_visible())

    def is_accessible(self) -> bool:
        in_groups = getattr(self._view, "_in_allowed_groups", None)
        return (in_groups is None or in_groups()) and bool(self._view.is_accessible())

    def endpoint_name(self) -> str:
        return self._view.endpoint

    def is_index(self, admin: Any) -> bool:
        return self._view is admin.index_view


class MenuLink(BaseMenu):
    """An external or internal link in the menu (``url=`` or ``endpoint=``)."""

    def __init__(self, name: str, url: str | None = None, endpoint: str | None = None,
                 category: str | None = None, class_name: str | None = None,
                 icon_type: str | None = None, icon_value: str | None = None,
                 target: str | None = None) -> None:
        super().__init__(name, class_name, icon_type, icon_value, target)
        self.url, self.endpoint, self.category = url, endpoint, category

    def get_url(self) -> str | None:
        if self.url:
            return self.url
        if self.endpoint:
            from .base import url_for

            return url_for(self.endpoint)
        return None
