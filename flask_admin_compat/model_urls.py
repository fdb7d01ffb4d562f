"""Flask-Admin's URL scheme for model views, as a `fasthx_core.urls.ViewUrls`.

``/admin/user/`` (list: ``search``, ``sort`` = column index, ``desc=1``, ``page`` from 0,
``page_size``, filters ``flt<pos>_<filter index>`` or, with ``named_filter_urls``,
``flt<pos>_<column>_<operation>``), ``new/``, ``edit/?id=``, ``details/?id=``, ``delete/``,
``action/``, ``export/<type>/``, ``ajax/lookup/``.  The same core templates render with these
URLs because they only ever ask ``view.urls``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from fasthx_core.listing import ListParams
from fasthx_core.urls import ViewUrls

from .list_links import encode_query, quote_value

if TYPE_CHECKING:
    from fasthx_core import CRUDView

# Flask-Admin's operations per column kind, in its order (the filter index counts them).
FA_KIND_OPS: dict[str, tuple[str, ...]] = {
    "string": ("contains", "not_contains", "equals", "not_equal", "empty", "in_list",
               "not_in_list"),
    "number": ("equals", "not_equal", "greater", "smaller", "empty", "in_list", "not_in_list"),
    "bool": ("equals", "not_equal"),
    "date": ("equals", "not_equal", "greater", "smaller", "between", "not_between", "empty"),
    "datetime": ("equals", "not_equal", "greater", "smaller", "between", "not_between", "empty"),
    "time": ("equals", "not_equal", "greater", "smaller", "between", "not_between", "empty"),
    "enum": ("equals", "not_equal", "empty", "in_list", "not_in_list"),
    "relation": ("equals", "not_equal", "empty", "in_list", "not_in_list"),
    "other": ("equals", "not_equal", "empty"),
    "custom": ("equals", "not_equal", "contains", "not_contains", "greater", "smaller",
               "empty", "in_list", "not_in_list", "between", "not_between"),
}
# core operation -> Flask-Admin's name in named filter URLs
FA_OP_SLUGS: dict[str, str] = {"greater": "greater_than", "smaller": "smaller_than"}
_SLUG_TO_OP = {v: k for k, v in FA_OP_SLUGS.items()}
# core operation -> Flask-Admin's operation text (named filter URLs are made from it)
FA_OP_TEXT: dict[str, str] = {
    "contains": "contains", "not_contains": "not contains", "equals": "equals",
    "not_equal": "not equal", "greater": "greater than", "smaller": "smaller than",
    "empty": "empty", "in_list": "in list", "not_in_list": "not in list",
    "between": "between", "not_between": "not between"}
_RANGE_OPS = ("between", "not_between")


def named_filter_arg(label: str, op: str) -> str:
    """Flask-Admin's named filter argument: ``"Maker / Name", "greater"`` ->
    ``maker_name_greater_than`` (lower case, other characters dropped, spaces to ``_``)."""
    text = re.sub(r"[^a-z0-9 ]", "", f"{label} {FA_OP_TEXT.get(op, op)}".lower())
    return re.sub(r" +", "_", text)


def _range_value(op: str, value: str) -> str:
    """Flask-Admin writes a range as ``a to b``; the engine reads ``a,b``."""
    return value.replace(" to ", ",", 1) if op in _RANGE_OPS else value
_FLT = re.compile(r"^flt(\d+)_(.+)$")


class FlaskAdminUrls(ViewUrls):
    def __init__(self, view: CRUDView) -> None:
        super().__init__(view)
        self.filter_table: list[tuple[str, str]] = []
        for key, fdef in view.list_spec.filters.items():
            for op in FA_KIND_OPS.get(fdef.kind, fdef.ops):
                if op in fdef.ops:
                    self.filter_table.append((key, op))
        filters = view.list_spec.filters
        self.named_args = {named_filter_arg(filters[key].label, op): (key, op)
                           for key, op in self.filter_table}
        self._arg_of = {entry: arg for arg, entry in self.named_args.items()}
        self.named = bool(getattr(getattr(view, "fa", None), "named_filter_urls", False))

    # -- list state ----------------------------------------------------------------------
    def parse_list(self, items: Iterable[tuple[str, str]]) -> ListParams:
        native: list[tuple[str, str]] = []
        keys = [ref.key for ref in self.view.list_columns]
        data: dict[str, str] = {}
        for name, value in items:
            data.setdefault(name, value)
            m = _FLT.match(name)
            if m:
                native.extend(self._filter_param(m.group(1), m.group(2), value))
        if data.get("search"):
            native.append(("q", data["search"]))
        sort = data.get("sort", "")
        if sort.isdigit() and int(sort) < len(keys):
            native.append(("sort", keys[int(sort)]))
            native.append(("order", "desc" if data.get("desc") in ("1", "true") else "asc"))
        elif sort:
            native.append(("sort", sort))  # reported as ignored by the core
        page = data.get("page", "0")
        try:
            native.append(("page", str(max(0, int(page)) + 1)))
        except ValueError:
            native.append(("page", "1"))
        if data.get("after"):
            native.append(("after", data["after"]))
        if "page_size" in data and getattr(getattr(self.view, "fa", None),
                                           "can_set_page_size", True):
            native.append(("page_size", data["page_size"]))  # else ignored, as Flask-Admin
        return ListParams.parse(self.view.list_spec, native)

    def _filter_param(self, pos: str, rest: str, value: str) -> list[tuple[str, str]]:
        if rest.isdigit():
            idx = int(rest)
            if idx < len(self.filter_table):
                key, op = self.filter_table[idx]
                return [(f"flt{pos}_{key}_{op}", _range_value(op, value))]
            return [(f"flt{pos}_{rest}", value)]  # unknown: the core reports it
        if rest in self.named_args:
            key, op = self.named_args[rest]
            return [(f"flt{pos}_{key}_{op}", _range_value(op, value))]
        for slug, op in list(_SLUG_TO_OP.items()) + [(o, o) for o in FA_KIND_OPS["string"]] \
                + [("between", "between"), ("not_between", "not_between")]:
            if rest.endswith("_" + slug):
                return [(f"flt{pos}_{rest[: -len(slug) - 1]}_{op}", _range_value(op, value))]
        return [(f"flt{pos}_{rest}", value)]

    def list_items(self, params: ListParams, **changes: Any) -> list[tuple[str, str]]:
        state = {"q": params.q, "sort": params.sort, "order": params.order,
                 "page": params.page, "page_size": params.page_size}
        state.update(changes)
        out: list[tuple[str, str]] = []
        keys = [ref.key for ref in self.view.list_columns]
        if state["q"]:
            out.append(("search", str(state["q"])))
        if state["sort"] in keys:
            out.append(("sort", str(keys.index(state["sort"]))))
            if state["order"] == "desc":
                out.append(("desc", "1"))
        for pos, f in enumerate(params.filters):
            if self.named:
                arg = self._arg_of.get((f.key, f.op)) or f"{f.key}_{FA_OP_SLUGS.get(f.op, f.op)}"
                out.append((f"flt{pos}_{arg}", f.raw))
            elif (f.key, f.op) in self.filter_table:
                out.append((f"flt{pos}_{self.filter_table.index((f.key, f.op))}", f.raw))
        if int(state["page"]) > 1:
            out.append(("page", str(int(state["page"]) - 1)))
            if changes.get("after"):  # the core's keyset position (a "next" link)
                out.append(("after", str(changes["after"])))
        if state["page_size"] != self.view.list_spec.page_size:
            out.append(("page_size", str(state["page_size"])))
        return out

    def list(self, params: ListParams | None = None, **changes: Any) -> str:
        base = self.base.rstrip("/") + "/"
        if params is None:
            return base
        items = self.list_items(params, **changes)
        return base + ("?" + encode_query(items, doseq=False) if items else "")

    # -- pages ---------------------------------------------------------------------------
    def _page(self, action: str, **query: Any) -> str:
        url = f"{self.base.rstrip('/')}/{action}/"
        query = {k: v for k, v in query.items() if v is not None}
        return url + ("?" + encode_query(query, doseq=False) if query else "")

    def _row_page(self, action: str, item_id: str) -> str:
        """``_page(action, id=item_id)``, quicker: a list asks it for every row."""
        if type(item_id) is not str:
            return self._page(action, id=item_id)
        return f"{self.base.rstrip('/')}/{action}/?id={quote_value(item_id)}"

    def create(self) -> str:
        return self._page("new")

    def detail(self, item_id: str) -> str:
        return self._row_page("details", item_id)

    def edit(self, item_id: str) -> str:
        return self._row_page("edit", item_id)

    def delete(self, item_id: str) -> str:
        return self._row_page("delete", item_id)

    def progress(self, item_id: str) -> str:
        return self._page("progress", id=item_id)

    def batch(self) -> str:
        return self._page("action")

    def cell(self, item_id: str, column: str) -> str:
        return self._page("cell", id=item_id, column=column)

    def export(self, fmt: str, params: ListParams | None = None) -> str:
        url = f"{self.base.rstrip('/')}/export/{fmt}/"
        if params is not None:
            items = self.list_items(params, page=1)
            url += "?" + encode_query(items, doseq=False) if items else ""
        return url

    def ajax(self, field: str, **query: Any) -> str:
        return self._page("ajax/options", field=field, **query)


_METHODS = {"create_view": "new", "edit_view": "edit", "details_view": "details",
            "delete_view": "delete", "action_view": "action", "ajax_lookup": "ajax/lookup",
            "ajax_update": "ajax/update"}


def build_model_url(fa: Any, method: str, values: dict[str, Any]) -> str | None:
    """``url_for`` for a model view's Flask-Admin endpoints; None for other methods."""
    base = (fa.url or "").rstrip("/")
    values = dict(values)
    if method in ("index_view", "index"):
        path = base + "/"
    elif method == "export":
        path = f"{base}/export/{values.pop('export_type', 'csv')}/"
    elif method in _METHODS:
        path = f"{base}/{_METHODS[method]}/"
    else:
        return None
    return path + ("?" + encode_query(values) if values else "")
