"""CSV export of what the list shows: same search, filters and sort, streamed row by row.

Rows are read in batches from one session (``yield_per``), so memory stays flat however
large the export; `CRUDView.export_max_rows` bounds the work.  Cells that a spreadsheet would
run as formulas are neutralised.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import StreamingResponse

from .cells import export_safe, plain_text
from .listing import ListParams, ListQuery

if TYPE_CHECKING:
    from .view import CRUDView

BATCH = 500


def iter_csv(view: CRUDView, params: ListParams) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.writer(buf)
    refs = view.export_refs
    formatters = view.column_formatters_export or {}
    writer.writerow([view.label(r.key) for r in refs])
    yield buf.getvalue()
    with view.session() as db:
        query = ListQuery(view.list_spec, params, base=view.get_query(db),
                          dialect=db.get_bind().dialect.name)
        query.spec = _export_spec(view)
        stmt = query.rows_statement(limit=view.export_max_rows, offset=0)
        result = db.scalars(stmt.execution_options(yield_per=BATCH))
        for obj in result:
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


def _export_spec(view: CRUDView):  # the list spec, loading the export columns instead
    from dataclasses import replace

    return replace(view.list_spec, columns=view.export_refs)


def export_response(view: CRUDView, request: Request, params: ListParams,
                    fmt: str) -> StreamingResponse:
    filename = f"{view.name}.csv"
    return StreamingResponse(
        iter_csv(view, params), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'})
