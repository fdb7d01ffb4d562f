"""Inline editing of list cells (`CRUDView.column_editable_list`).

A click on an editable cell swaps in a one-field form (``GET /{name}/{id}/cell/{column}``); its
post saves that field alone through the same form, uniqueness check and `CRUDView.save_model`
(hooks, commit; a compat view's ``update_model``) as the full edit form, with the form cut down
to that one field, and answers the re-rendered cell.  Refused input keeps the editor open with the
message; nothing is half-saved.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from starlette.requests import Request

from . import concurrency, keys
from .cells import cell
from .forms import unique_errors
from .guard import NotFound

if TYPE_CHECKING:
    from .view import CRUDView

log = logging.getLogger("fasthx_core.editable")


def _load_item(view: CRUDView, db: Any, ident: tuple[Any, ...], column: str) -> Any:
    if column not in (view.column_editable_list or ()):
        raise NotFound(column)
    item = view.get_one(db, ident)
    if item is None:
        raise NotFound(ident)
    return item


def _load(view: CRUDView, db: Any, ident: tuple[Any, ...], column: str) -> tuple[Any, Any]:
    item = _load_item(view, db, ident, column)
    form = view.build_form(db, None, item)
    if column not in form:
        raise NotFound(column)
    return item, form


def _display(view: CRUDView, request: Request, item: Any, column: str,
             message: str | None = None) -> str:
    from .columns import resolve

    _raw, shown = cell(resolve(view.model, column), item, view.formatter_for(column))
    return view.admin.templates.render(request, "partials/editable_cell.html", {
        "view": view, "value": shown, "item_id": keys.to_url(view.model, item),
        "column": column, "message": message})


def _editor(view: CRUDView, request: Request, form: Any, item: Any, column: str,
            message: str | None = None, version: str | None = None) -> str:
    """The one-field form; it carries the version of the cell it was opened on (a refused
    post keeps the version it was sent with, see `fasthx_core.concurrency`)."""
    return view.admin.templates.render(request, "partials/cell_editor.html", {
        "view": view, "field": form[column], "item_id": keys.to_url(view.model, item),
        "column": column, "message": message,
        "row_version": version or concurrency.current_version(view, item, [column])})


def cell_editor(view: CRUDView, request: Request, ident: tuple[Any, ...], column: str,
                show: bool = False) -> str:
    """The editor of one cell, or (``show=True``, for Cancel) the cell as displayed."""
    with view.session() as db:
        if show:  # Cancel: the cell as the list shows it, no form needed
            return _display(view, request, _load_item(view, db, ident, column), column)
        item, form = _load(view, db, ident, column)
        return _editor(view, request, form, item, column)


def save_cell(view: CRUDView, request: Request, formdata: Any, ident: tuple[Any, ...],
              column: str) -> tuple[bool, str, str]:
    """Save one field: (saved, html, message)."""
    from .saving import FormValues, _FormData, save_failure

    with view.session() as db:
        item, form = _load(view, db, ident, column)
        field = form[column]
        sent = concurrency.sent_version(formdata)
        stale = concurrency.check(view, db, item, formdata, [column])
        field.process(_FormData(formdata))
        if stale:
            return False, _editor(view, request, form, item, column, stale, sent), stale
        ok = field.validate(form)
        if ok:
            for name, text in unique_errors(view, form, db, item).items():
                if name == column:
                    field.errors = [*field.errors, text]
                    ok = False
        if not ok:
            message = "; ".join(str(e) for e in field.errors) or "Invalid value."
            return False, _editor(view, request, form, item, column, message, sent), message
        data = FormValues(form)  # the hooks see every value: this one new, the rest as loaded
        for name in [f.name for f in form if f.name != column]:
            del form[name]  # the save copies this one field, as Flask-Admin's list form does
        try:
            with db.no_autoflush:
                concurrency.bump(view, item)
            view.save_model(db, form, item, False, request, data)
        except Exception as exc:
            message = save_failure(view, db, exc)
            return False, _editor(view, request, form, item, column, message, sent), message
        try:
            view.after_model_change(item, data, False, db, request)
        except Exception:
            log.exception("after_model_change failed for %s", view.name)
        return True, _display(view, request, item, column), "Record was successfully saved."
