"""Page builders: load what a page shows (in one session) and render its template.

Each function runs in the threadpool and returns HTML; the routes only wrap it in a response.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from starlette.requests import Request

from . import keys
from .cells import cell
from .guard import NotFound
from .listing import ListParams, ListQuery, encode_items
from .pager import pager_html
from .rows_html import ListRows, rows_plan

if TYPE_CHECKING:
    from .view import CRUDView


def row_actions_for(view: CRUDView, item_id: str, obj: Any = None) -> list[dict[str, Any]]:
    """The view's `row_actions` with ``{id}``, ``{name}`` and ``{prefix}`` filled in; a URL
    given as a callable is called with ``(item_id, obj)``."""
    out = []
    for action in view.row_actions:
        a = dict(action)
        for k in ("hx_post", "hx_get", "href", "hx_delete", "hx_put"):
            if k in a and callable(a[k]):
                a[k] = a[k](item_id, obj)
            elif k in a and isinstance(a[k], str):
                a[k] = item_url(view, a[k], item_id)
        a.setdefault("hx_target", "closest tr")
        a.setdefault("hx_swap", "afterend")
        out.append(a)
    return out


def item_url(view: CRUDView, template: str, item_id: str) -> str:
    """A row's URL from a template of ``{name}`` (the view's), ``{id}`` and ``{prefix}`` (the
    view's URL); a path gets the admin's URL prefix unless it has it."""
    url = template.replace("{id}", item_id).replace("{prefix}", view.url) \
        .replace("{name}", view.name or "")
    prefix = view.admin.url_prefix
    if prefix and url.startswith("/") and not url.startswith(prefix + "/"):
        url = prefix + url
    return url


def poll_url(view: CRUDView, cfg: dict[str, Any], key: str, item_id: str) -> str:
    """Where a polled cell (`CRUDView.htmx_columns`) of a row fetches its value."""
    return item_url(view, cfg.get("url", "/{name}/{id}/" + key), item_id)


def row_url_names(view: CRUDView) -> list[str]:
    """Which of a row's detail / edit / delete URLs the view's permissions offer."""
    return [name for name, allowed in (("detail", view.can_view_details),
                                       ("edit", view.can_edit),
                                       ("delete", view.can_delete)) if allowed]


def build_rows(view: CRUDView, items: list[Any]) -> list[dict[str, Any]]:
    # per column, once per page: its formatter and polling configuration
    columns = [(ref, view.formatter_for(ref.key), (view.htmx_columns or {}).get(ref.key))
               for ref in view.list_columns]
    url_names = row_url_names(view)
    rows = []
    for obj in items:
        item_id = keys.to_url(view.model, obj)
        cells = []
        for ref, formatter, cfg in columns:
            raw, shown = cell(ref, obj, formatter)
            htmx = None
            if cfg:
                htmx = {"url": poll_url(view, cfg, ref.key, item_id),
                        "trigger": cfg.get("trigger", "every 5s"),
                        "terminal": is_terminal(raw, cfg)}
            cells.append({"key": ref.key, "raw": raw, "value": shown, "htmx": htmx})
        urls = {name: getattr(view.urls, name)(item_id) for name in url_names}
        rows.append({"obj": obj, "id": item_id, "cells": cells, "urls": urls,
                     "actions": row_actions_for(view, item_id, obj) if view.row_actions else []})
    return rows


def row_links(view: CRUDView) -> dict[str, Any]:
    """What every row's buttons share (see partials/row_actions.html)."""
    return {"detail_modal": view.detail_modal, "edit_modal": view.edit_modal,
            "delete_confirm": f"Delete this {view.display_name_singular.lower()}?"}


def is_terminal(raw: Any, cfg: dict[str, Any]) -> bool:
    states = {str(s).lower() for s in cfg.get("terminal_states", [])}
    value = getattr(raw, "value", raw)
    return bool(states) and str(value).lower() in states


def list_context(view: CRUDView, request: Request, params: ListParams,
                 plan: dict[str, Any] | None = None) -> dict[str, Any]:
    """What a list template gets.  With a `plan` (`rows_html.rows_plan`: the template knows
    `rows_html`), the rows are `list_rows` (`rows_html.ListRows`) and, for the native table
    body, already written as `rows_html`; `rows` is then empty, and the plan's ``context``
    adds its face's writers.  Without one, `rows` holds a dict per row (`build_rows`), as
    every template may use."""
    list_rows = None
    with view.session() as db:
        query = ListQuery(view.list_spec, params, base=_own_query(view, db),
                          count_base=view.get_count_query(db))
        result = view.after_list_query(db, params, query.run(db))
        if plan is None:
            rows = build_rows(view, result.rows)
        else:
            list_rows, rows = ListRows(view, result.rows, htmx=plan["htmx"]), []
    params.page = result.page
    params.next_after = result.next_after
    default_size = view.list_spec.page_size

    def qs(**changes: Any) -> str:
        items = params.query_items(_default_page_size=default_size, **changes)
        return "?" + encode_items(items) if items else "?"

    def sort_qs(key: str) -> str:
        desc = not params.desc if params.sort == key else False
        return qs(sort=key, order="desc" if desc else "asc", page=1)

    columns = [{"key": ref.key, "label": view.label(ref.key),
                "sortable": ref.key in view.list_spec.sortable} for ref in view.list_columns]
    links = row_links(view)
    ctx = {"view": view, "rows": rows, "result": result, "params": params, "columns": columns,
           "qs": qs, "sort_qs": sort_qs, "filter_defs": list(view.list_spec.filters.values()),
           "active_filters": params.filters, "notes": params.notes,
           "batch_actions": list(view.batch_actions.values()),
           "colspan": view.get_colspan(), "active_page": view.name,
           "row_links": links,
           "export_qs": qs(page=1),
           "pager_html": lambda: pager_html(view, params, result)}
    if plan is not None:  # the face's writers (rows_html.ROW_WRITERS)
        ctx["list_rows"] = list_rows
        ctx.update(plan.get("context", {}))
        if plan.get("write"):
            ctx["rows_html"] = plan["write"](view, list_rows, links)
    return ctx


def _own_query(view: CRUDView, db: Any) -> Any:
    """The view's `get_query` when its class overrides it; None for the built-in
    ``select(model)`` (which `ListQuery` builds and knows without comparing statements)."""
    from .view import CRUDView

    return None if type(view).get_query is CRUDView.get_query else view.get_query(db)


def render_list(view: CRUDView, request: Request, params: ListParams, partial: bool) -> str:
    own_partial = bool(partial and view.list_partial_template)
    template = view.list_partial_template if own_partial else view.list_template
    ctx = list_context(view, request, params, rows_plan(view, template))
    html = view.admin.templates.render(request, template, ctx)
    return results_fragment(html) if partial and not own_partial else html


RESULTS_START, RESULTS_END = "<!--fx:list-results-->", "<!--/fx:list-results-->"


def results_fragment(html: str) -> str:
    """The table part of a full list page (between the markers list templates put around
    it): how a list template without a separate partial answers HTMX requests."""
    start, end = html.find(RESULTS_START), html.find(RESULTS_END)
    if start < 0 or end < start:
        return html
    return html[start + len(RESULTS_START):end]


def render_detail(view: CRUDView, request: Request, ident: tuple[Any, ...],
                  template: str | None = None) -> str:
    """The detail page (or `template`, e.g. a modal's body, with the same context)."""

    with view.session() as db:
        item = view.get_one(db, ident)
        if item is None:
            raise NotFound(ident)
        fields = []
        for ref in view.detail_refs:
            raw, shown = cell(ref, item, view.formatter_for(ref.key, detail=True))
            fields.append({"key": ref.key, "label": view.label(ref.key), "raw": raw,
                           "value": shown})
        item_id = keys.to_url(view.model, item)
        title = str(item)
    return view.admin.templates.render(request, template or view.detail_template, {
        "view": view, "item": item, "item_id": item_id, "fields": fields, "title": title,
        "active_page": view.name})


def is_block(entry: Any) -> bool:
    """A non-field entry of a form section: Markup, or an object marked ``fasthx_block``
    (rendered with its ``__html__``), e.g. a heading or a note between fields."""
    return isinstance(entry, Markup) or getattr(entry, "fasthx_block", False)


def form_sections(view: CRUDView, form: Any, is_new: bool = False) -> list[dict[str, Any]]:
    """Fields grouped for the form: configured sections in order (titled ones become
    collapsible panels, untitled ones are laid out inline, blocks of HTML stay where they are
    placed), then the remaining fields."""
    names = [f.name for f in form]
    sections: list[dict[str, Any]] = []
    raw = view.form_sections_for(is_new) or {}
    pairs = list(raw.items()) if isinstance(raw, dict) else list(raw)
    used: set[str] = set()
    for title, fields in pairs:
        items: list[Any] = []
        for entry in fields:
            if is_block(entry):
                items.append(entry)
            elif getattr(entry, "fasthx_wraps", None) is not None:  # a block around fields
                wrapped = [n for n in entry.fasthx_wraps if n in names and n not in used]
                used.update(wrapped)
                items.append(entry.bind([form[n] for n in wrapped]))
            elif entry in names and entry not in used:
                used.add(entry)
                items.append(form[entry])
        if any(not is_block(i) or getattr(i, "fields", None) for i in items) or (
                items and not title):
            sections.append({"title": title, "fields": items})
    rest = [form[n] for n in names if n not in used]
    if rest:
        sections.append({"title": "Other" if sections else "", "fields": rest})
    return sections


def section_groups(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Consecutive titled sections share one accordion (when there are several sections);
    untitled ones are laid out inline.  Each section gets its number for element ids."""
    groups: list[dict[str, Any]] = []
    panels = len(sections) > 1
    for number, section in enumerate(sections, start=1):
        accordion = bool(section["title"]) and panels
        if not groups or groups[-1]["accordion"] != accordion or not accordion:
            groups.append({"accordion": accordion, "sections": []})
        groups[-1]["sections"].append(dict(section, number=number))
    return groups


def form_context(view: CRUDView, request: Request, form: Any, item_id: str | None,
                 message: str | None = None) -> dict[str, Any]:
    is_new = item_id is None
    action = view.urls.create() if is_new else view.urls.edit(item_id)
    title = f"Create {view.display_name_singular}" if is_new else \
        f"Edit {view.display_name_singular}"
    sections = form_sections(view, form, is_new)
    return {"view": view, "form": form, "sections": sections,
            "section_groups": section_groups(sections),
            "action": action, "title": title, "item_id": item_id, "is_new": is_new,
            "error_message": message, "active_page": view.name}


def render_form_page(view: CRUDView, request: Request, ident: tuple[Any, ...] | None,
                     template: str | None = None) -> str:
    """The create (``ident`` None) or edit page; `template` replaces the view's (e.g. a
    modal's body) with the same context."""
    with view.session() as db:
        if ident is None:
            form = view.build_form(db)
            item_id = None
        else:
            item = view.get_one(db, ident)
            if item is None:
                raise NotFound(ident)
            form = view.build_form(db, None, item)
            item_id = keys.to_url(view.model, item)
        ctx = form_context(view, request, form, item_id)
        if ident is not None:
            from .concurrency import current_version

            ctx["row_version"] = current_version(view, item)
        template = template or (view.create_template if ident is None else view.edit_template)
        return view.admin.templates.render(request, template, ctx)


def render_poll_cell(view: CRUDView, request: Request, ident: tuple[Any, ...],
                     column: str) -> tuple[str, bool]:
    from .columns import resolve

    ref = resolve(view.model, column)
    formatter = view.formatter_for(column)
    with view.session() as db:
        item = view.get_one(db, ident)
        if item is None:
            raise NotFound(ident)
        raw, shown = cell(ref, item, formatter)
    terminal = is_terminal(raw, (view.htmx_columns or {}).get(column, {}))
    html = view.admin.templates.env.get_template("partials/status_cell.html").render(
        {"status": shown, "raw": raw, "column": column})
    return html, terminal
