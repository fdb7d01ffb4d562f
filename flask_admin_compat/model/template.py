"""Flask-Admin's ``flask_admin.model.template``: extra row actions of list views.

Each action becomes a native row action (a link with an icon); `to_native` gives the dict
the engine renders.  View/edit/delete are the list's own buttons, so their classes exist for
imports and ``list_row_actions`` lists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def macro(name: str) -> Callable[..., Any]:
    """Flask-Admin's ``macro`` helper (template macros are not rendered here)."""
    return lambda *args, **kwargs: name


def _bi(icon_class: str | None) -> str:
    """A Glyphicon/Font Awesome class list -> the closest Bootstrap Icons name."""
    for part in (icon_class or "").split():
        for prefix in ("bi-", "fa-", "glyphicon-"):
            if part.startswith(prefix) and part != prefix.rstrip("-"):
                return part[len(prefix):]
    return "link-45deg"


class BaseListRowAction:
    def __init__(self, title: str | None = None) -> None:
        self.title = title

    def to_native(self, view: Any) -> dict[str, Any] | None:
        return None


class LinkRowAction(BaseListRowAction):
    """``url`` is a string with ``{row_id}`` or a callable ``(action, row_id, row)``."""

    def __init__(self, icon_class: str, url: Any, title: str | None = None) -> None:
        super().__init__(title)
        self.icon_class, self.url = icon_class, url

    def to_native(self, view: Any) -> dict[str, Any]:
        def href(item_id: str, obj: Any) -> str:
            if callable(self.url):
                return str(self.url(self, item_id, obj))
            return str(self.url).format(row_id=item_id)

        return {"label": self.title or "", "icon": _bi(self.icon_class), "href": href}


class EndpointLinkRowAction(BaseListRowAction):
    def __init__(self, icon_class: str, endpoint: str, title: str | None = None,
                 id_arg: str = "id", url_args: dict[str, Any] | None = None) -> None:
        super().__init__(title)
        self.icon_class, self.endpoint = icon_class, endpoint
        self.id_arg, self.url_args = id_arg, dict(url_args or {})

    def to_native(self, view: Any) -> dict[str, Any]:
        from ..base import url_for

        def href(item_id: str, obj: Any) -> str:
            return url_for(self.endpoint, _view=view, **{self.id_arg: item_id},
                           **self.url_args)

        return {"label": self.title or "", "icon": _bi(self.icon_class), "href": href}


class TemplateLinkRowAction(BaseListRowAction):
    def __init__(self, template_name: str, title: str | None = None) -> None:
        super().__init__(title)
        self.template_name = template_name


class ViewRowAction(BaseListRowAction):
    pass


class ViewPopupRowAction(BaseListRowAction):
    pass


class EditRowAction(BaseListRowAction):
    pass


class EditPopupRowAction(BaseListRowAction):
    pass


class DeleteRowAction(BaseListRowAction):
    pass
