"""The HTTP face of a CRUDView: parse the request, call the query/form/save code, render.

Handlers are thin and async; the database work and the rendering of a page happen in one
threadpool call each, so a slow query never blocks the event loop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from . import concurrency, keys
from .actions import run_batch_action
from .ajax import ajax_lookup
from .export import export_response
from .guard import NotFound, is_htmx
from .modals import modal_template
from .page_thread import run_page
from .rendering import (
    render_detail,
    render_form_page,
    render_list,
    render_poll_cell,
)
from .saving import SaveOutcome, delete_item, save_form
from .toasts import flash, toast_response

if TYPE_CHECKING:
    from .view import CRUDView


def _substitute(path: str, view: CRUDView) -> str:
    path = path.replace("{prefix}", view.url).replace("{name}", view.name or "")
    path = path.replace("{id}", "{item_id}")
    if not path.startswith(view.admin.url_prefix + "/") and view.admin.url_prefix:
        path = view.admin.url_prefix + path
    return path


def parse_id(view: CRUDView, item_id: str) -> tuple[Any, ...]:
    try:
        return keys.from_url(view.model, item_id)
    except keys.BadKey as exc:
        raise NotFound(item_id) from exc


def register_routes(view: CRUDView) -> None:
    r, base = view.router, view.url

    for attr in dir(type(view)):
        fn = getattr(type(view), attr, None)
        marker = getattr(fn, "_fasthx_endpoint", None)
        if marker:
            path, methods, kw = marker
            r.add_api_route(_substitute(path, view), getattr(view, attr), methods=methods, **kw)
    view.setup_endpoints()

    for column, cfg in (view.htmx_columns or {}).items():
        url = _substitute(cfg.get("url", "/{name}/{id}/" + column), view)
        r.add_api_route(url, _poll_handler(view, column), methods=["GET"],
                        name=f"{view.name}.poll.{column}", include_in_schema=False)

    async def list_page(request: Request) -> Response:
        params = view.urls.parse_list(request.query_params.multi_items())
        partial = (is_htmx(request) and not request.headers.get("HX-History-Restore-Request")
                   and (request.headers.get("HX-Target") == "list-results"
                        or request.query_params.get("partial") == "1"))
        html = await run_page(render_list, view, request, params, partial)
        return HTMLResponse(html, headers={"Vary": "HX-Request, HX-Target"})

    async def create_page(request: Request) -> Response:
        if not view.can_create:
            return _refused(request, "Creating is not allowed here.")
        if request.method == "GET":
            html = await run_in_threadpool(render_form_page, view, request, None,
                                           modal_template(view, request, "create"))
            return HTMLResponse(html)
        return await _submit(view, request, None)

    async def detail_page(request: Request, item_id: str) -> Response:
        if not view.can_view_details:
            return RedirectResponse(f"{base}/{keys.quote_segment(item_id)}/edit",
                                    status_code=303)
        ident = parse_id(view, item_id)
        return HTMLResponse(await run_in_threadpool(render_detail, view, request, ident,
                                                    modal_template(view, request, "detail")))

    async def edit_page(request: Request, item_id: str) -> Response:
        ident = parse_id(view, item_id)
        if not view.can_edit:
            return _refused(request, "Editing is not allowed here.")
        if request.method == "GET":
            html = await run_in_threadpool(render_form_page, view, request, ident,
                                           modal_template(view, request, "edit"))
            return HTMLResponse(html)
        return await _submit(view, request, ident)

    async def delete_route(request: Request, item_id: str) -> Response:
        ident = parse_id(view, item_id)
        if not view.can_delete:
            return _refused(request, "Deleting is not allowed here.")
        ok, message = await run_in_threadpool(delete_item, view, request, ident)
        return answer_delete(request, ok, message, target=base,
                             failed_target=f"{base}/{keys.quote_segment(item_id)}")

    async def batch_route(request: Request) -> Response:
        form = await request.form()
        return await run_in_threadpool(run_batch_action, view, request, form)

    async def export_route(request: Request, fmt: str) -> Response:
        return answer_export(view, request, fmt)

    async def ajax_route(request: Request, field: str) -> Response:
        return await run_in_threadpool(ajax_lookup, view, request, field)

    async def cell_route(request: Request, item_id: str, column: str) -> Response:
        ident = parse_id(view, item_id)
        if not view.can_edit:
            return _refused(request, "Editing is not allowed here.")
        return await answer_cell(view, request, ident, column)

    async def progress_route(request: Request, item_id: str) -> Response:
        from .progress import progress_row_response

        return await run_in_threadpool(progress_row_response, view, request, item_id)

    r.add_api_route(base, list_page, methods=["GET"], name=f"{view.name}.list")
    r.add_api_route(base + "/", list_page, methods=["GET"], include_in_schema=False)
    r.add_api_route(base + "/create", create_page, methods=["GET", "POST"],
                    name=f"{view.name}.create")
    r.add_api_route(base + "/batch", batch_route, methods=["POST"], name=f"{view.name}.batch")
    r.add_api_route(base + "/export/{fmt}", export_route, methods=["GET"],
                    name=f"{view.name}.export")
    r.add_api_route(base + "/ajax/{field}", ajax_route, methods=["GET"],
                    name=f"{view.name}.ajax")
    r.add_api_route(base + "/{item_id}", detail_page, methods=["GET"],
                    name=f"{view.name}.detail")
    r.add_api_route(base + "/{item_id}/edit", edit_page, methods=["GET", "POST"],
                    name=f"{view.name}.edit")
    r.add_api_route(base + "/{item_id}/delete", delete_route, methods=["POST"],
                    name=f"{view.name}.delete")
    r.add_api_route(base + "/{item_id}/cell/{column}", cell_route, methods=["GET", "POST"],
                    name=f"{view.name}.cell")
    r.add_api_route(base + "/{item_id}/progress", progress_route, methods=["GET"],
                    name=f"{view.name}.progress")


def _refused(request: Request, message: str) -> Response:
    if is_htmx(request):
        return toast_response(message, "danger", status_code=403)
    return HTMLResponse(message, status_code=403)


async def _submit(view: CRUDView, request: Request, ident: tuple[Any, ...] | None) -> Response:
    formdata = await request.form()
    outcome = await run_in_threadpool(save_form, view, request, formdata, ident)
    message = f"{view.display_name_singular} {'created' if ident is None else 'saved'}."
    return answer_save(request, outcome, message=message, target=save_target(
        view, formdata, outcome, view.urls.list()))


async def answer_cell(view: CRUDView, request: Request, ident: tuple[Any, ...], column: str,
                      run: Any = run_in_threadpool) -> Response:
    """An inline cell: GET answers its editor (``show=1``: the cell as displayed), POST saves
    it and answers the cell with a toast.  `run` runs the blocking work (the threadpool)."""
    from .editable import cell_editor, save_cell
    from .toasts import add_trigger, toast_payload

    if request.method == "GET":
        show = request.query_params.get("show") == "1"
        return HTMLResponse(await run(cell_editor, view, request, ident, column, show))
    formdata = await request.form()
    saved, html, message = await run(save_cell, view, request, formdata, ident, column)
    return add_trigger(HTMLResponse(html), "showToast",
                       toast_payload(message, "success" if saved else "danger"))


def save_target(view: CRUDView, formdata: Any, outcome: SaveOutcome, done: str,
                wrap: Any = None) -> str:
    """Where a saved form goes: the create page (``_add_another``), the edit page
    (``_continue_editing``) or `done`; `wrap` may decorate the first two (a return URL)."""
    wrap = wrap or (lambda url: url)
    if "_add_another" in formdata:
        return wrap(view.urls.create())
    if "_continue_editing" in formdata and outcome.item_id:
        return wrap(view.urls.edit(outcome.item_id))
    return done


def answer_export(view: CRUDView, request: Request, fmt: str) -> Response:
    """The export of the list as the request's query string filters and sorts it (404 for a
    format the view does not offer)."""
    if not view.can_export or fmt not in view.export_types:
        raise NotFound(fmt)
    params = view.urls.parse_list(request.query_params.multi_items())
    return export_response(view, request, params, fmt)


def answer_save(request: Request, outcome: SaveOutcome, *, message: str, target: str,
                redirect_status: int = 303, invalid_status: int = 422,
                error_title: str | None = "Validation Error") -> Response:
    """The response to a form post: saved -> a redirect (HTMX: ``HX-Redirect``) with a toast;
    refused -> the re-rendered form (HTMX: status 200 so it swaps, and a danger toast)."""
    if outcome.saved:
        if is_htmx(request):
            return toast_response(message, "success", redirect=target, request=request)
        flash(request, message, "success")
        return RedirectResponse(target, status_code=redirect_status)
    response = HTMLResponse(outcome.html, status_code=200 if is_htmx(request) else invalid_status)
    if is_htmx(request):
        from .toasts import add_trigger, toast_payload

        title = concurrency.STALE_TITLE if getattr(outcome, "stale", False) else error_title
        add_trigger(response, "showToast", toast_payload(outcome.message, "danger", title))
    return response


def answer_delete(request: Request, ok: bool, message: str, *, target: str,
                  failed_target: str | None = None, redirect_status: int = 303,
                  done_message: str | None = None) -> Response:
    """The response to a delete: HTMX from a list row -> a toast (the row swaps itself out);
    other HTMX -> ``HX-Redirect`` to `target` with the toast; refused over HTMX -> a danger
    toast and nothing swapped.  A plain post is flashed (`done_message` instead of `message`
    when it worked) and redirected to `target`, or to `failed_target` when refused."""
    if is_htmx(request):
        if ok and request.headers.get("HX-Target", "").startswith("row-"):
            return toast_response(message, "success")
        if ok:
            return toast_response(message, "success", redirect=target, request=request)
        return toast_response(message, "danger")
    flash(request, (done_message or message) if ok else message, "success" if ok else "danger")
    return RedirectResponse(target if ok else (failed_target or target),
                            status_code=redirect_status)


def _poll_handler(view: CRUDView, column: str) -> Any:
    async def poll(request: Request, item_id: str) -> Response:
        ident = parse_id(view, item_id)
        html, terminal = await run_in_threadpool(render_poll_cell, view, request, ident, column)
        return HTMLResponse(html, status_code=286 if terminal else 200)

    return poll


__all__ = ["register_routes"]
