"""Where a view's pages live and how its list state is written in a query string.

Templates and handlers never spell a URL themselves: they ask ``view.urls``.  The native scheme
is `ViewUrls` (``/{name}/{id}/edit``, ``?q=&sort=&order=&page=``); another scheme (Flask-Admin's
``/admin/user/edit/?id=``, ``?search=&sort=0&desc=1&page=0``) is a subclass, so the same
templates and page builders serve both.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from .listing import ListParams, encode_items

if TYPE_CHECKING:
    from .view import CRUDView


class ViewUrls:
    """The native URL scheme of a `CRUDView`."""

    def __init__(self, view: CRUDView) -> None:
        self.view = view
        self.base = view.url

    # -- list state <-> query string ----------------------------------------------------
    def parse_list(self, items: Iterable[tuple[str, str]]) -> ListParams:
        return ListParams.parse(self.view.list_spec, items)

    def list_items(self, params: ListParams, **changes: Any) -> list[tuple[str, str]]:
        return params.query_items(_default_page_size=self.view.list_spec.page_size, **changes)

    def list(self, params: ListParams | None = None, **changes: Any) -> str:
        if params is None:
            return self.base
        items = self.list_items(params, **changes)
        return self.base + ("?" + encode_items(items) if items else "")

    def sort(self, params: ListParams, key: str) -> str:
        desc = not params.desc if params.sort == key else False
        return self.list(params, sort=key, order="desc" if desc else "asc", page=1)

    def page(self, params: ListParams, number: int) -> str:
        """A page's link; the next page's carries the keyset position when there is one."""
        if number == params.page + 1 and params.next_after is not None:
            return self.list(params, page=number, after=params.next_after)
        return self.list(params, page=number)

    # -- pages -------------------------------------------------------------------------
    def create(self) -> str:
        return f"{self.base}/create"

    def detail(self, item_id: str) -> str:
        return f"{self.base}/{item_id}"

    def edit(self, item_id: str) -> str:
        return f"{self.base}/{item_id}/edit"

    def delete(self, item_id: str) -> str:
        return f"{self.base}/{item_id}/delete"

    def progress(self, item_id: str) -> str:
        return f"{self.base}/{item_id}/progress"

    def batch(self) -> str:
        return f"{self.base}/batch"

    def cell(self, item_id: str, column: str) -> str:
        return f"{self.base}/{item_id}/cell/{column}"

    def export(self, fmt: str, params: ListParams | None = None) -> str:
        url = f"{self.base}/export/{fmt}"
        if params is not None:
            items = self.list_items(params, page=1)
            url += "?" + urlencode(items) if items else ""
        return url

    def ajax(self, field: str, **query: Any) -> str:
        url = f"{self.base}/ajax/{field}"
        return url + ("?" + urlencode(query) if query else "")
