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
from functools import lru_cache
from typing import Any
from urllib.parse import quote_plus, urlencode

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

# a row id standing for every row: an alphanumeric core no markup holds by chance, then
# characters that quoting, HTML escaping and other encodings each write differently
_PROBE = "FxRowId0Probe a/&?=%+<\"é"
_PROBE_CORE = "FxRowId0Probe"
_PROBE_QUOTED = quote_plus(_PROBE)


@lru_cache(maxsize=4096)
def quote_value(text: str) -> str:
    """``quote_plus`` (what ``urlencode`` uses), memoized: a page quotes the same few strings
    (the return URL, column names) many times."""
    return quote_plus(text)


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
    """``<td class="col-KEY" data-col="KEY">`` per column key, escaped once per render."""

    def __missing__(self, key: str) -> Markup:
        self[key] = value = Markup('<td class="col-%s" data-col="%s">') % (key, key)
        return value


@pass_context
def blocks_overridden(context: Context, *names: str) -> bool:
    """True when a template extending the one being rendered defines one of these blocks
    (Jinja keeps one entry per definition, the most derived first)."""
    return any(len(context.blocks.get(name, ())) > 1 for name in names)


__all__ = ["CellOpenings", "RowHtml", "blocks_overridden", "encode_query", "quote_value"]
