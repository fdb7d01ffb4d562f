"""Searchable, paginated options for related-row selects (`form_ajax_refs` and FK selects
too large to list).  Never loads more than one page of the related table.

``GET /{name}/ajax/{field}?q=&page=`` answers HTML options (``partials/ajax_options.html``)
or, when the client asks for JSON, ``{"items": [{"value", "label"}], "more", "next"}``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import or_, select
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from .columns import resolve
from .fields import RelatedField, pk_value
from .filters import contains
from .guard import NotFound
from .listing import search_text

if TYPE_CHECKING:
    from .view import CRUDView

MAX_AJAX_PAGE_SIZE = 50


def _related_field(view: CRUDView, field: str) -> dict[str, Any]:
    """The related-field info of `field` (edit form first, then create); NotFound otherwise."""
    for is_new in (False, True):
        plan = view.form_plan(is_new)
        info = plan.related.get(field)
        unbound = getattr(plan.form_class, field, None)
        field_class = getattr(unbound, "field_class", None)
        if info is not None and isinstance(field_class, type) and \
                issubclass(field_class, RelatedField):
            return info
    raise NotFound(field)


def page_size_for(view: CRUDView, field: str) -> int:
    cfg = _related_field(view, field).get("ajax") or {}
    return min(int(cfg.get("page_size", 10)), MAX_AJAX_PAGE_SIZE)


def lookup_options(view: CRUDView, field: str, q: str, offset: int,
                   limit: int) -> tuple[list[dict[str, str]], bool]:
    """One page of options for a related field: ``([{"value", "label"}], more)``.  Searches the
    configured (else the string) columns of the related model; never loads more than a page."""
    info = _related_field(view, field)
    target = info["target"]
    cfg = info.get("ajax") or {}
    fields = cfg.get("fields") or [p.key for p in sa_inspect(target).column_attrs
                                   if resolve(target, p.key).is_string]
    limit = max(1, min(limit, MAX_AJAX_PAGE_SIZE))
    pk = list(sa_inspect(target).primary_key)[0]
    with view.session() as db:
        stmt = select(target)
        for cond in cfg.get("filters", []) or []:
            stmt = stmt.where(cond)
        dialect = db.get_bind().dialect.name
        if q and fields:
            stmt = stmt.where(or_(*(contains(getattr(target, f), q, dialect) for f in fields)))
        order = [getattr(target, f) for f in fields[:1]] + [pk]
        stmt = stmt.order_by(*order).limit(limit + 1).offset(max(0, offset))
        rows = list(db.scalars(stmt))
        items = [{"value": pk_value(r), "label": str(r)} for r in rows[:limit]]
    return items, len(rows) > limit


def ajax_lookup(view: CRUDView, request: Request, field: str) -> Response:
    """``GET …/ajax/{field}?q=&page=``: HTML options, or JSON when asked for."""
    page_size = page_size_for(view, field)
    q = search_text(request.query_params.get("q", ""), 100)
    try:
        page = max(1, min(int(request.query_params.get("page", "1")), 10**6))
    except ValueError:
        page = 1
    items, more = lookup_options(view, field, q, (page - 1) * page_size, page_size)
    next_url = view.urls.ajax(field, q=q, page=page + 1) if more else None
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"items": items, "more": more, "next": next_url})
    html = view.admin.templates.env.get_template("partials/ajax_options.html").render(
        {"items": items, "next_url": next_url, "field": field, "page": page})
    return HTMLResponse(html)


__all__ = ["ajax_lookup", "lookup_options"]
