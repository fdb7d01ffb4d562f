"""List rows written in Python: the rows of the built-in table body without a Jinja
expression per value.

A list page shows 20 rows of 5-10 cells, each cell wrapped in markup that holds the row's
id; through Jinja that is ~400 escaped outputs per page, each a `Markup` object going through
the template's context lookups.  Here, in the request's session, each row becomes
``(id, [cell HTML, ...])`` (`ListRows`: values read and formatted as `build_rows` does,
escaped with `markupsafe.escape`, which is C), and a face's writer joins them with its row
markup:

- the native table body (`native_rows_html`): the select checkbox, the cells, the buttons of
  ``partials/row_actions.html`` (its macro; the built-in one, without `row_actions`, is
  rendered once with a probe id and filled in per row when the id goes in verbatim, any other
  is called per row);
- compat's ``admin/model/list.html`` writes its own (``flask_admin_compat/list_links.py``).

Template overrides keep working: rows are written in Python only when the page's template is a
file that knows `rows_html` (`ROW_WRITERS`, keyed by the template's file) and the partials it
would include are the built-in ones (``partials/table_body.html``,
``partials/editable_cell.html``); any other template gets the usual `rows` dicts.  The markup
is the template's, less the whitespace between tags.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape
from sqlalchemy import inspect as sa_inspect

from . import keys
from .cells import plain

if TYPE_CHECKING:
    import jinja2

    from .view import CRUDView

BUILTIN = Path(__file__).parent / "templates" / "fasthx"

# a row id standing for every row in the buttons' markup: alphanumeric, then every character
# a row id may hold besides (`keys.escape_value`: letters, digits, ``-._~`` and the ``,`` of
# composite keys)
_PROBE_A = "FxRowProbeA0"
_PROBE_B = "FxRowProbeB1-._~,"


def template_file(env: jinja2.Environment, name: str) -> str | None:
    """The file a template name resolves to (user folders first), or None."""
    try:
        return env.get_template(name).filename
    except Exception:  # a missing template: the page will say so when rendered
        return None


def is_builtin(env: jinja2.Environment, name: str) -> bool:
    """Does `name` resolve to the engine's own file (no user folder overrides it)?"""
    return template_file(env, name) == _BUILTIN_DIR + name


_BUILTIN_DIR = str(BUILTIN) + "/"


# template file -> what decides whether its rows may be written in Python (None: they may
# not, e.g. an overridden partial); its plan: ``htmx`` (`ListRows` wraps polled cells),
# ``write`` (makes the context's `rows_html`), ``context`` (more entries for the template);
# faces register theirs
ROW_WRITERS: dict[str, Callable[[CRUDView, jinja2.Environment], dict[str, Any] | None]] = {}


def rows_plan(view: CRUDView, template: str) -> dict[str, Any] | None:
    """The `ListRows` options when the page rendered with `template` takes `rows_html`."""
    env = view.admin.templates.env
    decide = ROW_WRITERS.get(template_file(env, template) or "")
    return decide(view, env) if decide is not None else None


def _editable(view: CRUDView) -> frozenset[str]:
    return frozenset(view.column_editable_list or ()) if view.can_edit else frozenset()


def editor_is_builtin(view: CRUDView, env: jinja2.Environment) -> bool:
    """Are the view's editable cells (if any) drawn by the engine's own editor span?  Rows
    are only written in Python then; a team's ``editable_cell.html`` needs the template."""
    return not _editable(view) or is_builtin(env, "partials/editable_cell.html")


def _native_plan(view: CRUDView, env: jinja2.Environment) -> dict[str, Any] | None:
    if not is_builtin(env, "partials/table_body.html") or not editor_is_builtin(view, env):
        return None
    return {"htmx": True, "write": native_rows_html}


def _int_ident(view: CRUDView) -> Callable[[Any], str] | None:
    """A cheap `keys.to_url` when the key is one integer column (its text is already safe)."""
    pk = list(sa_inspect(view.model).primary_key)
    if len(pk) != 1:
        return None
    try:
        if pk[0].type.python_type is not int:
            return None
    except NotImplementedError:
        return None
    prop = sa_inspect(view.model).get_property_by_column(pk[0])
    name = prop.key

    def ident(obj: Any) -> str:
        value = getattr(obj, name)
        return str(value) if type(value) is int else keys.to_url(view.model, obj)

    return ident


class ListRows:
    """A page's rows as ``(id, [cell HTML, ...], obj, row actions)``, read in the request's
    session (the row actions: `rendering.row_actions_for`, an empty tuple without any).

    Cell HTML is what the table body's ``{{ value }}`` writes (the formatter's result, or
    `cells.plain`, escaped unless it is `Markup`), inside the polling span of an
    `htmx_columns` entry (``htmx=True``) or the editor span of `column_editable_list`.
    """

    __slots__ = ("items", "keys")

    def __init__(self, view: CRUDView, objs: list[Any], *, htmx: bool = False) -> None:
        from .rendering import is_terminal, poll_url, row_actions_for

        refs = view.list_columns
        self.keys = [ref.key for ref in refs]
        editable = _editable(view)
        polling = (view.htmx_columns or {}) if htmx else {}
        plan = []
        for ref in refs:
            attr = ref.attr_name if not ref.path else None
            fmt = view.formatter_for(ref.key)
            plan.append((attr, ref.get_value, fmt, getattr(fmt, "fasthx_type_formatter", None),
                         ref.key, polling.get(ref.key), ref.key in editable))
        ident = view.__dict__.get("_fx_row_ident")
        if ident is None:  # worked out once per view
            ident = view.__dict__["_fx_row_ident"] = _int_ident(view) or \
                (lambda obj: keys.to_url(view.model, obj))
        cell_url = view.urls.cell
        items = []
        for obj in objs:
            rid = ident(obj)
            cells = []
            for attr, get, fmt, typed, key, cfg, edit in plan:
                raw = getattr(obj, attr, None) if attr is not None else get(obj)
                # type formatters only (`cells.choice_or_type_formatter`): the one for this
                # value's type, or `plain`; any other formatter: called with the row
                one = typed(type(raw)) if typed is not None else fmt
                if one is None:  # `plain`, with its commonest cases inline
                    kind = type(raw)
                    if kind is str:
                        shown, html = raw, str(escape(raw))
                    elif kind is int:
                        shown = raw
                        html = str(raw)
                    elif raw is None:
                        shown = html = ""
                    else:
                        shown = plain(raw)
                        html = str(escape(shown))
                else:
                    shown = one(raw) if typed is not None else one(raw, obj)
                    html = str(shown) if type(shown) is int else str(escape(shown))
                if cfg is not None and not is_terminal(raw, cfg):
                    url = poll_url(view, cfg, key, rid)
                    html = (f'<span id="htmx-{escape(key)}-{rid}" hx-get="{escape(url)}" '
                            f'hx-trigger="{escape(cfg.get("trigger", "every 5s"))}" '
                            f'hx-swap="innerHTML">{html}</span>')
                elif edit:
                    html = ('<span class="fx-editable" role="button" tabindex="0" '
                            f'title="Click to edit" hx-get="{escape(cell_url(rid, key))}" '
                            "hx-trigger=\"click, keyup[key=='Enter']\" hx-target=\"this\" "
                            f'hx-swap="outerHTML">{html if shown != "" else "—"}</span>')
                cells.append(html)
            items.append((rid, cells, obj,
                          row_actions_for(view, rid, obj) if view.row_actions else ()))
        self.items = items


def _buttons(view: CRUDView, env: jinja2.Environment, links: dict[str, Any]
             ) -> Callable[[str, Any, Any], str]:
    """``buttons(row id, obj, actions)``: the row's cell of ``partials/row_actions.html``."""
    from .rendering import row_url_names

    macro = env.get_template("partials/row_actions.html").module.row_actions  # type: ignore[attr-defined]
    urls = view.urls
    wanted = row_url_names(view)

    def each(item_id: str, obj: Any, actions: Any) -> str:
        row = {"id": item_id, "obj": obj, "actions": list(actions),
               "urls": {name: getattr(urls, name)(item_id) for name in wanted}}
        return str(macro(row, links))

    if view.row_actions or not is_builtin(env, "partials/row_actions.html"):
        return each  # URLs computed from the object; a team's macro may read anything
    # the probe's split, per view and per everything the markup depends on
    known = view.__dict__.setdefault("_fx_row_buttons", {})
    key = (macro, tuple(wanted), getattr(urls, "base", None), tuple(sorted(links.items())))
    if key not in known:
        parts = each(_PROBE_A, None, ()).split(_PROBE_A)
        if len(parts) < 2 or _PROBE_B.join(parts) != each(_PROBE_B, None, ()):
            parts = None  # the id does not go in verbatim (a URL scheme quoting it, ...)
        if len(known) > 16:
            known.clear()
        known[key] = parts
    found = known[key]
    if found is None:
        return each
    return lambda item_id, obj, actions: item_id.join(found)


def native_rows_html(view: CRUDView, rows: ListRows, links: dict[str, Any]) -> Markup:
    """The ``<tr>`` elements of ``partials/table_body.html`` for these rows."""
    buttons = _buttons(view, view.admin.templates.env, links)
    opens = [f'<td data-col="{escape(key)}">' for key in rows.keys]
    out = []
    for rid, cells, obj, actions in rows.items:
        out.append(f'<tr id="row-{rid}">\n<td class="fx-select-col"><input class="form-check-input '
                   f'fx-row-select" type="checkbox" name="ids" value="{rid}" '
                   f'aria-label="Select row {rid}"></td>\n')
        out.append("</td>\n".join(map(str.__add__, opens, cells)))
        out.append(("</td>\n" if cells else "") + '<td class="text-end text-nowrap">'
                   f'{buttons(rid, obj, actions)}</td>\n</tr>\n')
    return Markup("".join(out))


ROW_WRITERS[str(BUILTIN / "list.html")] = _native_plan
ROW_WRITERS[str(BUILTIN / "partials" / "table_body.html")] = _native_plan

__all__ = ["ROW_WRITERS", "ListRows", "editor_is_builtin", "is_builtin", "native_rows_html",
           "rows_plan", "template_file"]
