"""Batch actions on the rows selected in a list (delete, and the view's own).

The request names the action and the selected ids (``ids=1,2,3`` or repeated ``ids``); only
rows the view's `get_query` can see are touched, at most `MAX_BATCH` at a time.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_
from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from . import keys
from .errors import ValidationError
from .guard import is_htmx
from .toasts import flash, toast_response

if TYPE_CHECKING:
    from .view import CRUDView

MAX_BATCH = 1000
log = logging.getLogger("fasthx_core.actions")


def selected_ids(view: CRUDView, form: Any) -> list[tuple[Any, ...]]:
    raw: list[str] = []
    for value in form.getlist("ids") + form.getlist("rowid"):
        if isinstance(value, str):
            raw.extend(v for v in value.split(",") if v) if len(view.pk_columns) == 1 \
                else raw.append(value)
    out = []
    for text in raw[:MAX_BATCH]:
        try:
            out.append(keys.from_url(view.model, text))
        except keys.BadKey:
            continue
    return out


def _answer(view: CRUDView, request: Request, message: str, ok: bool) -> Response:
    if is_htmx(request):
        return toast_response(message, "success" if ok else "danger", request=request,
                              refresh=ok)
    flash(request, message, "success" if ok else "danger")
    return RedirectResponse(request.headers.get("referer") if _local_referer(request)
                            else view.urls.list(), status_code=303)


def _local_referer(request: Request) -> bool:
    from .redirects import safe_next

    ref = request.headers.get("referer", "")
    base = str(request.base_url).rstrip("/")
    return ref.startswith(base + "/") and safe_next(ref[len(base):], "") != ""


def run_batch_action(view: CRUDView, request: Request, form: Any) -> Response:
    name = form.get("action") or ""
    action = view.batch_actions.get(name)
    if action is None:
        return _answer(view, request, "Unknown action.", False)
    idents = selected_ids(view, form)
    if not idents:
        return _answer(view, request, "No rows selected.", False)
    with view.session() as db:
        stmt = view.get_query(db).where(or_(*(keys.where_pk(view.model, i) for i in idents)))
        items = list(db.scalars(stmt))
        try:
            if action["handler"] is None:
                for item in items:
                    view.on_model_delete(item, db)
                    db.delete(item)
                db.commit()
                for item in items:
                    view.after_model_delete(item, db)
                return _answer(view, request, view.batch_deleted_message(len(items)), True)
            result = action["handler"](db, items, request)
            db.commit()  # the handler changes the rows; saving them is the engine's job
        except ValidationError as exc:
            db.rollback()
            return _answer(view, request, exc.message, False)
        except SQLAlchemyError:
            db.rollback()
            log.exception("batch action %s failed on %s", name, view.name)
            return _answer(view, request, f"{action['label']} failed; nothing was changed.",
                           False)
        if isinstance(result, Response):
            return result
        return _answer(view, request, result or f"{action['label']}: {len(items)} rows.", True)
