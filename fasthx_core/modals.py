"""Create, edit and detail pages opened in a modal over the list.

With ``create_modal`` / ``edit_modal`` / ``detail_modal`` on a view, the list's links load
the page's modal body (``?modal=1``) over HTMX into one Bootstrap modal (``#fx-modal``); the
form inside saves over HTMX as everywhere (refused: it stays in the modal with the input and
errors; saved: the list is shown again).  A link opened without JavaScript, a plain request with
``?modal=1`` or a view without the flag still gets the whole page.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from .guard import is_htmx

# kind -> the built-in modal body, when the view names none (``<kind>_modal_template``)
DEFAULT_TEMPLATES = {"create": "partials/modal_form.html", "edit": "partials/modal_form.html",
                     "detail": "partials/modal_detail.html"}
_NO = (None, "", "0", "false", "False")


def modal_template(view: Any, request: Request, kind: str) -> str | None:
    """The template of `kind`'s modal body when `request` asks for one, else None."""
    if not getattr(view, f"{kind}_modal", False) or not is_htmx(request) \
            or request.query_params.get("modal") in _NO:
        return None
    return getattr(view, f"{kind}_modal_template", None) or DEFAULT_TEMPLATES[kind]
