"""The list's pager (``partials/_pagination.html``) written in Python.

Through Jinja the pager is a macro call per link (about seven per page), each with its own
context and escaped outputs: a tenth of a list request's CPU time.  `pager_html` writes the
same markup (the template keeps it, for a context without ``pager_html``); the links still
come from ``view.urls.page`` (each face's URL scheme).  A team overriding
``partials/_pagination.html`` writes its own and never calls this.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

if TYPE_CHECKING:
    from .listing import ListParams, ListResult
    from .view import CRUDView


def pager_html(view: CRUDView, params: ListParams, result: ListResult) -> Markup:
    """The total ("about 1,200 orders · page 2 of 60") and the page links."""
    page, pages = result.page, result.pages
    out = ['<div class="d-flex flex-wrap justify-content-between align-items-center gap-2">\n'
           '<div class="small text-body-secondary" data-fx-total>\n']
    if result.total is not None:
        about = "about " if result.total_is_estimate else ""
        out.append(f"{about}{result.total:,} {escape(str(view.display_name).lower())}")
        if pages and pages > 1:
            out.append(f" · page {page} of {pages:,}")
    else:
        out.append(f"page {page}")
    out.append('\n</div>\n<nav aria-label="Pagination">\n<ul class="pagination pagination-sm '
               'mb-0">\n')

    def link(n: int, label: Any, disabled: bool = False, active: bool = False,
             aria: str | None = None) -> None:
        out.append(f'<li class="page-item {"disabled" if disabled else ""} '
                   f'{"active" if active else ""}">\n')
        if disabled or active:
            current = 'aria-current="page"' if active else ""
            out.append(f'<span class="page-link" {current}>{escape(label)}</span>\n')
        else:
            url = escape(view.urls.page(params, n))
            label_attr = f'aria-label="{escape(aria)}"' if aria else ""
            out.append(f'<a class="page-link" href="{url}" hx-get="{url}" '
                       f'hx-target="#list-results" hx-push-url="true" {label_attr}>'
                       f'{escape(label)}</a>\n')
        out.append("</li>\n")

    gap = '<li class="page-item disabled"><span class="page-link">…</span></li>\n'
    link(page - 1, "‹ Prev", disabled=not result.has_prev, aria="Previous page")
    if pages:
        lo, hi = max(1, page - 2), min(pages, page + 2)
        if lo > 1:
            link(1, 1)
            if lo > 2:
                out.append(gap)
        for n in range(lo, hi + 1):
            link(n, n, active=n == page)
        if hi < pages:
            if hi < pages - 1:
                out.append(gap)
            link(pages, f"{pages:,}")
    else:
        link(page, page, active=True)
    link(page + 1, "Next ›", disabled=not result.has_next, aria="Next page")
    out.append("</ul>\n</nav>\n</div>\n")
    return Markup("".join(out))


__all__ = ["pager_html"]
