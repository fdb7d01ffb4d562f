"""What the compat list page computes once per render instead of once per row.

Flask-Admin's ``admin/model/list.html`` asks ``get_url('.edit_view', id=row.id, url=return_url)``
for every button of every row, and renders each row through scoped blocks (``list_row``,
``list_row_actions_column``, ``list_row_actions``), each of which copies the whole template
context.  Here:

- `RowHtml` renders a row's buttons once per render (with the template's own ``get_url``, so
  the markup is the same) and fills in each row's id by string substitution; `CellOpenings`
  escapes the cells' opening tags once per column;
- `blocks_overridden` tells the template whether a template extending it replaces one of the
  row blocks: when none is, rows are rendered without entering the blocks (same markup);
  when one is, the blocks run as in Flask-Admin.
- `quote_value` / `encode_query` are ``urlencode(values, doseq=True)`` with the quoting of
  repeated strings (the return URL on every row) memoized.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote_plus, urlencode

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from fasthx_core import rows_html
from fasthx_core.listing import quote_text as quote_value

if TYPE_CHECKING:
    from fasthx_core.rows_html import ListRows

# a row id standing for every row: an alphanumeric core no markup holds by chance, then
# characters that quoting, HTML escaping and other encodings each write differently
_PROBE = "FxRowId0Probe a/&?=%+<\"é"
_PROBE_CORE = "FxRowId0Probe"
_PROBE_QUOTED = quote_plus(_PROBE)


def encode_query(values: Mapping[Any, Any] | Iterable[tuple[Any, Any]],
                 doseq: bool = True) -> str:
    """Exactly ``urlencode(values, doseq)`` (a mapping or pairs), faster for plain strings and
    integers."""
    parts: list[str] = []
    for key, value in (values.items() if isinstance(values, Mapping) else values):
        kind = type(value)
        if kind is str:
            parts.append(f"{quote_value(str(key))}={quote_value(value)}")
        elif kind is int:
            parts.append(f"{quote_value(str(key))}={value}")
        else:
            encoded = urlencode([(key, value)], doseq)
            if encoded:
                parts.append(encoded)
    return "&".join(parts)


class RowHtml:
    """A piece of row markup made cheap: ``piece(row_id)`` equals ``render(row_id)`` (a macro
    of the row id, e.g. the list's view/edit/delete buttons).

    It is rendered once, with a probe id; when the id shows only quoted as ``urlencode`` does
    (in URL query strings: no other trace of the probe is left once those are cut out), each
    row's markup is that render with the row's quoted id in the probe's places; otherwise
    `render` runs for every row.
    """

    __slots__ = ("_parts", "_render")

    def __init__(self, render: Callable[[Any], Any]) -> None:
        self._render = render
        parts = str(render(_PROBE)).split(_PROBE_QUOTED)
        self._parts: list[str] | None = None if any(_PROBE_CORE in p for p in parts) \
            else parts

    def __call__(self, item_id: Any) -> Markup:
        if self._parts is None:
            return Markup(self._render(item_id))
        return Markup(quote_value(str(item_id)).join(self._parts))


class CellOpenings(dict):
    """``<td class="col-KEY" data-col="KEY">`` per column key, escaped once per render; and
    `write`, the plain rows of ``admin/model/list.html`` written in Python."""

    def __missing__(self, key: str) -> Markup:
        quoted = escape(key)
        self[key] = value = Markup(f'<td class="col-{quoted}" data-col="{quoted}">')
        return value

    def write(self, list_rows: ListRows, buttons: RowHtml, select: bool) -> Markup:
        """The ``<tr>`` elements the template's plain-rows loop writes, from the rows read in
        the session (`fasthx_core.rows_html.ListRows`: the cells are formatted and escaped,
        editable ones wrapped in their editor span): the selection checkbox when `select`,
        the row's link actions and `buttons`, then the cells."""
        opens = [str(self[key]) for key in list_rows.keys]
        cell_end = "</td>"
        out: list[str] = []
        for rid, cells, _obj, actions in list_rows.items:
            links = "".join(_link_action(a) for a in actions if a.get("href")) \
                if actions else ""
            checkbox = ('<td class="fx-select-col"><input class="form-check-input '
                        f'fx-row-select" type="checkbox" name="rowid" value="{rid}" '
                        f'aria-label="Select row {rid}"></td>\n') if select else ""
            out.append(f'<tr id="row-{rid}">\n{checkbox}<td class="list-buttons-column '
                       'text-nowrap">\n<div class="btn-group btn-group-sm" role="group" '
                       f'aria-label="Row actions">\n{links}{buttons(rid)}\n</div>\n</td>\n')
            out.append(cell_end.join(map(str.__add__, opens, cells)))
            out.append("</td>\n</tr>\n" if cells else "\n</tr>\n")
        return Markup("".join(out))


@pass_context
def blocks_overridden(context: Context, *names: str) -> bool:
    """True when a template extending the one being rendered defines one of these blocks
    (Jinja keeps one entry per definition, the most derived first)."""
    return any(len(context.blocks.get(name, ())) > 1 for name in names)


def _link_action(a: dict[str, Any]) -> str:
    """A row action with an ``href``: the template's link button."""
    label = escape(a.get("label", ""))
    return (f'<a class="btn btn-outline-secondary" href="{escape(a["href"])}" title="{label}">'
            f'<i class="bi bi-{escape(a.get("icon", "lightning"))}" aria-hidden="true"></i>'
            f'<span class="visually-hidden">{label}</span></a>\n')


def header_html(columns: list[dict[str, Any]], params: Any, view: Any, select: bool
                ) -> Markup:
    """The ``list_header`` block of ``admin/model/list.html`` written in Python (given to the
    template only when it is the page's own template, so no block of it is overridden): the
    select-all box when `select`, the buttons column, and per column its sort link and
    description."""
    out = []
    if select:
        out.append('<th scope="col" class="fx-select-col"><input class="form-check-input" '
                   'type="checkbox" data-fx-select-all aria-label="Select all rows"></th>\n')
    out.append('<th scope="col" class="col-md-1">&nbsp;</th>\n')
    descriptions = getattr(view, "column_descriptions", None) or {}
    sorted_by = 'aria-sort="descending"' if params.desc else 'aria-sort="ascending"'
    chevron = f' <i class="bi bi-chevron-{"down" if params.desc else "up"}" aria-hidden="true"></i>'
    for col in columns:
        key, label = col["key"], escape(col["label"])
        here = params.sort == key
        out.append(f'<th scope="col" class="column-header col-{escape(key.replace(".", "-"))}" '
                   f'{sorted_by if here else ""}>\n')
        if col["sortable"]:
            url = escape(view.urls.sort(params, key))
            out.append(f'<a class="fx-sort text-decoration-none text-reset" href="{url}" '
                       f'hx-get="{url}" hx-target="#list-results" hx-push-url="true">'
                       f'{label}{chevron if here else ""}</a>\n')
        else:
            out.append(f"{label}\n")
        description = descriptions.get(key)
        if description:
            text = escape(description)
            out.append(f' <i class="bi bi-question-circle text-body-secondary" title="{text}" '
                       f'aria-label="{text}"></i>')
        out.append("\n</th>\n")
    return Markup("".join(out))


def _rows_plan(view: Any, env: Any) -> dict[str, Any] | None:
    """This template's rows may be written by `CellOpenings.write` (and its header by
    `header_html`) when the editor span it includes is the built-in one
    (rows_html.ROW_WRITERS)."""
    if not rows_html.editor_is_builtin(view, env):
        return None
    return {"htmx": False, "context": {"fx_header_html": header_html}}


rows_html.ROW_WRITERS[str(Path(__file__).parent / "templates" / "admin" / "model" /
                          "list.html")] = _rows_plan

__all__ = ["CellOpenings", "RowHtml", "blocks_overridden", "encode_query", "header_html",
           "quote_value"]
