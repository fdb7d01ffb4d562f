"""Routes of a Flask-Admin model view on the core engine (Flask-Admin's URL scheme).

Each handler parses Flask-Admin's request shape and calls the same page builders the native
routes use; access follows Flask-Admin (``is_accessible`` / ``inaccessible_callback``), and
every POST needs the CSRF token.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from fastapi.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from fasthx_core import keys
from fasthx_core.actions import run_batch_action
from fasthx_core.ajax import ajax_lookup, lookup_options
from fasthx_core.csrf import verify
from fasthx_core.guard import NotFound, is_htmx
from fasthx_core.listing import search_text
from fasthx_core.page_thread import run_page
from fasthx_core.rendering import render_detail, render_form_page, render_list
from fasthx_core.routes import answer_cell, answer_delete, answer_export, answer_save, save_target
from fasthx_core.saving import delete_item, save_form
from fasthx_core.toasts import flash

from ._context import current_request
from .base import current_view
from .helpers import is_safe_url

if TYPE_CHECKING:
    from .bridge import CompatCRUDView


class GuardResponse(Exception):
    """Flask-Admin's ``inaccessible_callback`` answered (a redirect, a page): send it."""

    def __init__(self, response: Response) -> None:
        self.response = response


async def guard(view: CompatCRUDView, request: Request) -> None:
    from .base import to_response
    from .errors import HTTPAbort

    token = current_request.set(request)
    try:
        denied = view.fa._handle_view(request.url.path)
    except HTTPAbort as exc:
        raise GuardResponse(view.admin.error_response(
            request, exc.code, exc.title, exc.description)) from exc
    finally:
        current_request.reset(token)
    if denied is not None:
        raise GuardResponse(to_response(denied))
    await verify(request)


def _ident(view: CompatCRUDView, raw: str | None) -> tuple[Any, ...]:
    if not raw:
        raise NotFound("id")
    try:
        return keys.from_url(view.model, raw)
    except keys.BadKey as exc:
        raise NotFound(raw) from exc


def _return_url(request: Request, default: str) -> str:
    target = request.query_params.get("url")
    return target if is_safe_url(target) else default


def _with_return(url: str, back: str) -> str:
    """`url` carrying the return-to URL, as Flask-Admin's save buttons lead."""
    return url + ("&" if "?" in url else "?") + urlencode({"url": back})


def _modal_template(view: CompatCRUDView, request: Request, kind: str) -> str | None:
    """Flask-Admin's ``?modal=True``: the view's modal body for an HTMX request."""
    from fasthx_core.modals import modal_template

    return modal_template(view, request, "detail" if kind == "details" else kind)


def _record_missing(request: Request, back: str) -> Response:
    """Flask-Admin's answer to an id naming no row: a flashed error, back to the list."""
    flash(request, "Record does not exist.", "danger")
    return RedirectResponse(back, status_code=302)


async def _in_context(view: CompatCRUDView, request: Request, fn: Any, *args: Any,
                      hop: Any = None) -> Any:
    """Run a page builder in the threadpool (through `hop`, if given) with the request and
    view published."""
    t1 = current_request.set(request)
    t2 = current_view.set(view.fa)
    try:
        return await (hop or run_in_threadpool)(fn, *args)
    finally:
        current_view.reset(t2)
        current_request.reset(t1)


def _pk_type(view: CompatCRUDView, field: str) -> Any:
    """How Flask-Admin's ajax lookup types a related row's key in its JSON: an integer key as
    a number, any other as text."""
    from sqlalchemy import inspect as sa_inspect

    rel = sa_inspect(view.model).relationships.get(field)
    pk = list(rel.mapper.primary_key) if rel is not None else []
    try:
        is_int = len(pk) == 1 and pk[0].type.python_type is int
    except NotImplementedError:
        is_int = False
    return int if is_int else str


def register_routes(view: CompatCRUDView) -> None:
    r = view.router
    base = view.url.rstrip("/")
    urls = view.urls

    async def index_view(request: Request) -> Response:
        params = urls.parse_list(request.query_params.multi_items())
        partial = (is_htmx(request) and not request.headers.get("HX-History-Restore-Request")
                   and request.headers.get("HX-Target") == "list-results")
        html = await _in_context(view, request, render_list, view, request, params, partial,
                                 hop=run_page)
        return HTMLResponse(html, headers={"Vary": "HX-Request, HX-Target"})

    async def redirect_to_index(request: Request) -> Response:
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(base + "/" + query, status_code=308)

    async def create_view(request: Request) -> Response:
        if not view.can_create:
            return RedirectResponse(_return_url(request, urls.list()), status_code=302)
        if request.method == "GET":
            html = await _in_context(view, request, render_form_page, view, request, None,
                                     _modal_template(view, request, "create"))
            return HTMLResponse(html)
        return await _submit(view, request, None)

    async def edit_view(request: Request) -> Response:
        if not view.can_edit:
            return RedirectResponse(_return_url(request, urls.list()), status_code=302)
        try:
            ident = _ident(view, request.query_params.get("id"))
            if request.method == "GET":
                html = await _in_context(view, request, render_form_page, view, request,
                                         ident, _modal_template(view, request, "edit"))
                return HTMLResponse(html)
            return await _submit(view, request, ident)
        except NotFound:
            return _record_missing(request, _return_url(request, urls.list()))

    async def details_view(request: Request) -> Response:
        if not view.can_view_details:
            return RedirectResponse(_return_url(request, urls.list()), status_code=302)
        try:
            ident = _ident(view, request.query_params.get("id"))
            return HTMLResponse(await _in_context(view, request, render_detail, view,
                                                  request, ident,
                                                  _modal_template(view, request, "details")))
        except NotFound:
            return _record_missing(request, _return_url(request, urls.list()))

    async def delete_view(request: Request) -> Response:
        back = _return_url(request, urls.list())
        if not view.can_delete:
            return RedirectResponse(back, status_code=302)
        form = await request.form()
        raw = form.get("id") or request.query_params.get("id")
        try:
            ident = _ident(view, raw if isinstance(raw, str) else None)
            ok, message = await _in_context(view, request, delete_item, view, request, ident)
        except NotFound:
            return _record_missing(request, back)
        return answer_delete(request, ok, message, target=back, redirect_status=302,
                             done_message="Record was successfully deleted.")

    async def action_view(request: Request) -> Response:
        form = await request.form()
        response = await _in_context(view, request, run_batch_action, view, request, form)
        if response.status_code == 303:  # the engine's own answer: go where Flask-Admin goes
            target = form.get("url") or request.query_params.get("url")
            back = target if isinstance(target, str) and is_safe_url(target) else urls.list()
            return RedirectResponse(back, status_code=302)
        return response

    async def export(request: Request, export_type: str) -> Response:
        return answer_export(view, request, export_type)

    async def ajax_lookup_json(request: Request) -> Response:
        """Flask-Admin's ``ajax/lookup/?name=&query=&offset=&limit=``: ``[[pk, label], ...]``."""
        name = request.query_params.get("name", "")
        query = request.query_params.get("query", "")
        try:
            offset = max(0, int(request.query_params.get("offset", "0")))
            limit = min(max(1, int(request.query_params.get("limit", "10"))), 50)
        except ValueError:
            offset, limit = 0, 10
        items, _more = await _in_context(view, request, lookup_options, view, name,
                                         search_text(query, 100), offset, limit)
        typed = _pk_type(view, name)
        return JSONResponse([[typed(item["value"]), item["label"]] for item in items])

    async def ajax_options(request: Request) -> Response:
        field = request.query_params.get("field", "")
        return await _in_context(view, request, ajax_lookup, view, request, field)

    async def cell(request: Request) -> Response:
        """The inline cell editor (GET) and its save (POST), as on native views."""
        ident = _ident(view, request.query_params.get("id"))
        column = request.query_params.get("column", "")
        if not view.can_edit:
            raise NotFound(column)

        async def run(fn: Any, *args: Any) -> Any:
            return await _in_context(view, request, fn, *args)

        return await answer_cell(view, request, ident, column, run)

    async def ajax_update(request: Request) -> Response:
        """Flask-Admin's x-editable endpoint: ``list_form_pk`` and one ``column=value``;
        answers text (400 instead of Flask-Admin's 500 when the value is refused)."""
        from starlette.responses import PlainTextResponse

        from fasthx_core.editable import save_cell

        form = await request.form()
        raw = form.get("list_form_pk")
        columns = [k for k in form if k not in ("list_form_pk", "csrf_token")]
        if not view.can_edit or not isinstance(raw, str) or len(columns) != 1:
            return PlainTextResponse("Failed to update record.", status_code=400)
        saved, _html, message = await _in_context(view, request, save_cell, view, request,
                                                  form, _ident(view, raw), columns[0])
        if saved:
            return PlainTextResponse("Record was successfully saved.")
        return PlainTextResponse(f"Failed to update record. {message}", status_code=400)

    async def progress(request: Request) -> Response:
        from fasthx_core.progress import progress_row_response

        raw = request.query_params.get("id", "")
        return await _in_context(view, request, progress_row_response, view, request, raw)

    # Flask-Admin's own views; one the view overrides with ``@expose`` is served by its
    # override (which may call ``super().index_view()``: these handlers, see `engine_view`)
    view.fa_handlers = {"index_view": index_view, "create_view": create_view,
                        "edit_view": edit_view, "details_view": details_view,
                        "delete_view": delete_view, "action_view": action_view}
    for name, path, methods in (
            ("index_view", "/", ["GET"]), ("create_view", "/new/", ["GET", "POST"]),
            ("edit_view", "/edit/", ["GET", "POST"]), ("details_view", "/details/", ["GET"]),
            ("delete_view", "/delete/", ["POST"]), ("action_view", "/action/", ["POST"])):
        if not _exposed_override(view.fa, name):
            r.add_api_route(base + path, view.fa_handlers[name], methods=methods,
                            name=f"{view.name}.{name}")
    r.add_api_route(base, redirect_to_index, methods=["GET"], include_in_schema=False)
    r.add_api_route(base + "/export/{export_type}/", export, methods=["GET"],
                    name=f"{view.name}.export")
    r.add_api_route(base + "/ajax/lookup/", ajax_lookup_json, methods=["GET"],
                    name=f"{view.name}.ajax_lookup")
    r.add_api_route(base + "/ajax/options/", ajax_options, methods=["GET"],
                    include_in_schema=False)
    r.add_api_route(base + "/cell/", cell, methods=["GET", "POST"], include_in_schema=False)
    r.add_api_route(base + "/ajax/update/", ajax_update, methods=["POST"],
                    name=f"{view.name}.ajax_update")
    r.add_api_route(base + "/progress/", progress, methods=["GET"], include_in_schema=False)


def _exposed_override(fa: Any, name: str) -> bool:
    """Does the view serve Flask-Admin's view `name` itself (an ``@expose``d override)?"""
    from .bridge import _overridden

    return _overridden(fa, name) and bool(getattr(getattr(fa, name), "_urls", None))


def engine_view(fa: Any, name: str) -> Response:
    """Flask-Admin's view `name` (``index_view``, ``edit_view``, ...) for the request being
    served, as the engine answers it: what ``super().index_view()`` returns in an override.
    Called from the override's worker thread; the handler runs on the event loop."""
    from anyio.from_thread import run

    request = current_request.get()
    if request is None:
        raise RuntimeError(f"{type(fa).__name__}.{name}() outside a request")
    return run(fa.core.fa_handlers[name], request)


async def _submit(view: CompatCRUDView, request: Request, ident: tuple[Any, ...] | None
                  ) -> Response:
    formdata = await request.form()
    outcome = await _in_context(view, request, save_form, view, request, formdata, ident)
    message = "Record was successfully created." if ident is None else \
        "Record was successfully saved."
    back = _return_url(request, view.urls.list())
    # the plain save button: the view's get_save_return_url, when it overrides it
    done = getattr(request.state, "fx_save_return", None) or back
    target = save_target(view, formdata, outcome, done, lambda url: _with_return(url, back))
    # Flask-Admin: 302 after a save, 200 with the form when refused
    return answer_save(request, outcome, message=message, target=target, redirect_status=302,
                       invalid_status=200, error_title=None)
