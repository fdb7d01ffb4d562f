"""CSV export of what the list shows: same search, filters and sort, streamed row by row.

Rows are read in batches from one session (``yield_per``), so memory stays flat however
large the export; `CRUDView.export_max_rows` bounds the work.  Cells that a spreadsheet would
run as formulas are neutralised.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import StreamingResponse

from .cells import choice_label, choice_labels, export_safe, plain_text
from .listing import ListParams, ListQuery

if TYPE_CHECKING:
    from .view import CRUDView

BATCH = 500


def iter_csv(view: CRUDView, params: ListParams) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.writer(buf)
    refs = view.export_refs
    formatters = {r.key: export_formatter(view, r.key) for r in refs}
    writer.writerow([view.label(r.key) for r in refs])
    yield buf.getvalue()
    with view.session() as db:
        query = ListQuery(_export_spec(view), params, base=view.get_query(db),
                          dialect=db.get_bind().dialect.name)
        for obj in export_rows(db, query, view.export_max_rows):
            buf.seek(0)
            buf.truncate()
            row = []
            for ref in refs:
                value = ref.get_value(obj)
                fmt = formatters.get(ref.key)
                text = plain_text(fmt(value, obj) if fmt else value)
                row.append(export_safe(text))
            writer.writerow(row)
            yield buf.getvalue()


def export_rows(db: Any, query: ListQuery, max_rows: int) -> Iterator[Any]:
    """The rows of an export, `BATCH` at a time, in the list's order.

    Streamed through a server-side cursor where other statements may run beside it
    (PostgreSQL, SQLite).  MySQL/MariaDB drivers stream over the connection itself, and the
    statement that loads a to-many column's members would cut the stream short (PyMySQL
    drops the unread rows with only a warning).  There, when a to-many column is exported,
    the rows come in LIMIT/OFFSET pages of `BATCH`, each a complete statement, all in one
    transaction (InnoDB's REPEATABLE READ: one snapshot for all pages).
    """
    dialect = db.get_bind().dialect.name
    if dialect not in ("mysql", "mariadb") or not any(r.crosses_many for r in query.spec.columns):
        stmt = query.rows_statement(limit=max_rows, offset=0)
        yield from db.scalars(stmt.execution_options(yield_per=BATCH))
        return
    offset = 0
    while offset < max_rows:
        size = min(BATCH, max_rows - offset)
        page = list(db.scalars(query.rows_statement(limit=size, offset=offset)).unique())
        yield from page
        if len(page) < size:
            return
        offset += size


def export_formatter(view: CRUDView, key: str) -> Callable[[Any, Any], Any] | None:
    """How a column is exported: its `column_formatters_export`, else its `column_choices`
    labels (a spreadsheet shows "Germany", not "DE"), else the export formatter for the
    value's type (`column_type_formatters_export`), else its plain value."""
    fmt = (view.column_formatters_export or {}).get(key)
    if fmt is not None:
        return fmt
    labels = choice_labels((view.column_choices or {}).get(key))
    if labels:
        return lambda value, obj: choice_label(labels, value)
    by_type = view.column_type_formatters_export or {}
    if not by_type:
        return None

    def typed(value: Any, obj: Any) -> Any:
        for klass in type(value).__mro__:
            if klass in by_type:
                return by_type[klass](value)
        return value

    return typed


def _export_spec(view: CRUDView):  # the list spec, loading the export columns instead
    from dataclasses import replace

    return replace(view.list_spec, columns=view.export_refs)


def export_response(view: CRUDView, request: Request, params: ListParams,
                    fmt: str) -> StreamingResponse:
    filename = f"{view.name}.csv"
    return StreamingResponse(
        iter_csv(view, params), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'})
