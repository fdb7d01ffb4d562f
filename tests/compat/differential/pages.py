"""What a page says, read the same way from Flask-Admin's and from the compat layer's HTML.

One small `html.parser` reader pulls out outcomes, not markup: the list's rows (cells keyed by
column: Flask-Admin marks them ``class="col-<name>"``, the compat list ``data-col`` and the same
class), the header's columns and which of them sort, a form's field values and its errors per
field, the flashed messages (Flask-Admin's alerts, the compat layer's toasts), the links a page
offers and a details table.  Markup that only differs in look is normalised here, each rule
documented where it is applied.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlsplit

_SPACE = re.compile(r"\s+")
# A boolean shown as an icon (Flask-Admin: title="name: true"; compat: aria-label="yes")
_BOOL_TITLES = {"true": "true", "false": "false", "yes": "true", "no": "false"}
_VOID = {"input", "br", "img", "hr", "meta", "link", "area", "base", "col", "embed", "source",
         "track", "wbr", "param"}


def _text(parts: list[str]) -> str:
    return _SPACE.sub(" ", "".join(parts)).strip()


def _classes(attrs: dict[str, str | None]) -> list[str]:
    return (attrs.get("class") or "").split()


def _col_of(attrs: dict[str, str | None]) -> str | None:
    if attrs.get("data-col"):
        return attrs["data-col"]
    for cls in _classes(attrs):
        if cls.startswith("col-") and not cls.startswith(("col-md", "col-sm", "col-lg",
                                                           "col-form")):
            return cls[4:]
    return None


def _bool_marker(attrs: dict[str, str | None]) -> str | None:
    label = (attrs.get("aria-label") or attrs.get("title") or "").strip().lower()
    label = label.rsplit(":", 1)[-1].strip()
    if label in _BOOL_TITLES and ("fa" in _classes(attrs) or "bi" in _classes(attrs)):
        return _BOOL_TITLES[label]
    return None


@dataclass
class Row:
    rowid: str | None
    cells: dict[str, str]


@dataclass
class Form:
    method: str
    action: str
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    visible: list[str] = field(default_factory=list)  # names of non-hidden fields, in order
    options: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # (value, label)
    chosen: dict[str, str] = field(default_factory=dict)  # select: the selected option's label
    labels: dict[str, str] = field(default_factory=dict)  # field id -> label text (``*`` kept)


class PageReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[Row] = []
        self.headers: list[tuple[str, bool, str]] = []  # (column, sortable, label)
        self.forms: list[Form] = []
        self.alerts: list[tuple[str, str]] = []
        self.toasts: list[tuple[str, str]] = []
        self.urls: list[str] = []
        self.details: list[tuple[str, str]] = []
        self._stack: list[tuple[str, dict[str, str | None]]] = []
        self._row: Row | None = None
        self._cell: tuple[str, list[str]] | None = None
        self._th: tuple[str, list[str], bool] | None = None
        self._form: Form | None = None
        self._last_field: str | None = None
        self._error: list[str] | None = None
        self._error_depth = 0
        self._alert: tuple[str, list[str], int] | None = None
        self._select: str | None = None
        self._option: tuple[str, bool, list[str]] | None = None
        self._textarea: tuple[str, list[str]] | None = None
        self._detail_table = 0
        self._detail_row: list[list[str]] | None = None
        self._label: tuple[str, list[str]] | None = None

    # -- tags ---------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = dict(attr_list)
        for key in ("href", "action", "hx-post", "hx-get"):
            if attrs.get(key):
                self.urls.append(attrs[key] or "")
        if tag == "body" and attrs.get("data-toasts"):
            self.toasts = [(t.get("type", ""), t.get("message", ""))
                           for t in json.loads(attrs["data-toasts"] or "[]")]
        marker = _bool_marker(attrs)
        if marker and self._cell is not None:
            self._cell[1].append(marker)
        if marker and self._detail_row is not None:
            self._detail_row[-1].append(marker)
        getattr(self, f"_start_{tag}", lambda a: None)(attrs)
        if "invalid-feedback" in _classes(attrs) and self._error is None:
            self._error, self._error_depth = [], len(self._stack)
        if tag == "li" and self._error is not None:
            self._flush_error()
            self._error = []
        if tag not in _VOID:
            self._stack.append((tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        getattr(self, f"_end_{tag}", lambda: None)()
        if tag in _VOID:
            return
        while self._stack:
            open_tag, _ = self._stack.pop()
            if open_tag == tag:
                break
        if self._error is not None and len(self._stack) <= self._error_depth:
            self._flush_error()
            self._error = None
        if self._alert is not None and len(self._stack) <= self._alert[2]:
            self.alerts.append((self._alert[0], _text(self._alert[1]).lstrip("×").strip()))
            self._alert = None

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        for sink in (self._cell and self._cell[1], self._th and self._th[1], self._error,
                     self._alert and self._alert[1], self._option and self._option[2],
                     self._textarea and self._textarea[1], self._label and self._label[1],
                     self._detail_row[-1] if self._detail_row else None):
            if sink is not None:
                sink.append(data)

    # -- list ---------------------------------------------------------------------------
    def _start_tr(self, attrs: dict[str, str | None]) -> None:
        self._row = Row(None, {})
        if self._detail_table:
            self._detail_row = []

    def _end_tr(self) -> None:
        if self._row is not None and self._row.cells:
            self.rows.append(self._row)
        self._row = None
        if self._detail_row is not None and len(self._detail_row) == 2:
            self.details.append((_text(self._detail_row[0]), _text(self._detail_row[1])))
        self._detail_row = None

    def _start_td(self, attrs: dict[str, str | None]) -> None:
        col = _col_of(attrs)
        if col is not None and self._row is not None:
            self._cell = (col, [])
        if self._detail_row is not None:
            self._detail_row.append([])

    def _end_td(self) -> None:
        if self._cell is not None and self._row is not None:
            self._row.cells[self._cell[0]] = _text(self._cell[1])
        self._cell = None

    def _start_th(self, attrs: dict[str, str | None]) -> None:
        col = _col_of(attrs)
        if col is not None and "column-header" in _classes(attrs):
            self._th = (col, [], False)
        if self._detail_row is not None:
            self._detail_row.append([])

    def _end_th(self) -> None:
        if self._th is not None:
            self.headers.append((self._th[0], self._th[2], _text(self._th[1])))
        self._th = None

    def _start_a(self, attrs: dict[str, str | None]) -> None:
        if self._th is not None and attrs.get("href"):
            self._th = (self._th[0], self._th[1], True)

    def _start_table(self, attrs: dict[str, str | None]) -> None:
        if "searchable" in _classes(attrs) or "fx-detail" in _classes(attrs):
            self._detail_table += 1

    def _end_table(self) -> None:
        self._detail_table = max(0, self._detail_table - 1)

    # -- forms --------------------------------------------------------------------------
    def _start_form(self, attrs: dict[str, str | None]) -> None:
        self._form = Form((attrs.get("method") or "get").lower(), attrs.get("action") or "")
        self.forms.append(self._form)

    def _end_form(self) -> None:
        self._form = None

    def _start_input(self, attrs: dict[str, str | None]) -> None:
        name = attrs.get("name")
        if name == "rowid" and self._row is not None:
            self._row.rowid = attrs.get("value")
        if self._form is None or not name:
            return
        kind = (attrs.get("type") or "text").lower()
        if kind in ("submit", "button", "search"):
            return
        if kind == "checkbox":
            value: Any = "y" if "checked" in attrs else ""
        else:
            value = attrs.get("value") or ""
        self._form.values[name] = value
        if kind != "hidden":
            self._form.visible.append(name)
        self._last_field = name

    def _start_select(self, attrs: dict[str, str | None]) -> None:
        name = attrs.get("name")
        if self._form is not None and name:
            self._select = name
            self._form.values[name] = ""
            self._form.options[name] = []
            self._form.visible.append(name)
            self._last_field = name

    def _end_select(self) -> None:
        self._select = None

    def _start_option(self, attrs: dict[str, str | None]) -> None:
        if self._select is not None:
            self._option = (attrs.get("value") or "", "selected" in attrs, [])

    def _end_option(self) -> None:
        if self._option is not None and self._form is not None and self._select:
            value, selected, label = self._option[0], self._option[1], _text(self._option[2])
            self._form.options[self._select].append((value, label))
            if selected:
                self._form.values[self._select] = value
                self._form.chosen[self._select] = label
        self._option = None

    def _start_textarea(self, attrs: dict[str, str | None]) -> None:
        name = attrs.get("name")
        if self._form is not None and name:
            self._textarea = (name, [])
            self._form.visible.append(name)
            self._last_field = name

    def _end_textarea(self) -> None:
        if self._textarea is not None and self._form is not None:
            self._form.values[self._textarea[0]] = "".join(self._textarea[1]).strip("\n")
        self._textarea = None

    def _start_label(self, attrs: dict[str, str | None]) -> None:
        if self._form is not None and attrs.get("for"):
            self._label = (attrs["for"] or "", [])

    def _end_label(self) -> None:
        if self._label is not None and self._form is not None:
            self._form.labels[self._label[0]] = _text(self._label[1])
        self._label = None

    def _flush_error(self) -> None:
        text = _text(self._error or [])
        if text and self._form is not None and self._last_field:
            self._form.errors.setdefault(self._last_field, []).append(text)

    # -- messages -----------------------------------------------------------------------
    def _start_div(self, attrs: dict[str, str | None]) -> None:
        classes = _classes(attrs)
        if "alert" in classes and self._alert is None:
            kind = next((c[6:] for c in classes if c.startswith("alert-")
                         and c != "alert-dismissable"), "info")
            self._alert = (kind, [], len(self._stack))


@dataclass
class Page:
    """A response, read: status, redirect target and what the HTML says."""

    status: int
    location: str | None
    text: str
    content_type: str = ""
    reader: PageReader = field(default_factory=PageReader)

    @classmethod
    def of(cls, status: int, location: str | None, text: str, content_type: str) -> Page:
        page = cls(status, local(location), text, content_type)
        if "html" in content_type:
            page.reader.feed(text)
        return page

    # -- list ---------------------------------------------------------------------------
    @property
    def rows(self) -> list[Row]:
        return self.reader.rows

    @property
    def ids(self) -> list[str | None]:
        return [r.rowid for r in self.rows]

    def column(self, name: str) -> list[str]:
        return [r.cells.get(name, "<missing>") for r in self.rows]

    def cells(self) -> list[dict[str, str]]:
        return [r.cells for r in self.rows]

    @property
    def header(self) -> list[str]:
        return [h[0] for h in self.reader.headers]

    @property
    def labels(self) -> list[str]:
        return [h[2] for h in self.reader.headers]

    @property
    def sortable(self) -> list[str]:
        return [h[0] for h in self.reader.headers if h[1]]

    # -- forms --------------------------------------------------------------------------
    @property
    def form(self) -> Form:
        """The page's record form: the first POST form with a visible field."""
        for f in self.reader.forms:
            if f.method == "post" and f.visible:
                return f
        return Form("none", "")

    def field_values(self, *names: str) -> dict[str, Any]:
        values = self.form.values
        return {n: values.get(n, "<missing>") for n in names}

    @property
    def field_errors(self) -> dict[str, list[str]]:
        return self.form.errors

    def option(self, name: str, text: str) -> str:
        """The value of the `name` select's option shown or valued as `text` (any case): what
        a person picking `text` submits."""
        for value, label in self.form.options.get(name, []):
            if text.lower() in (value.lower(), label.lower()):
                return value
        raise LookupError(f"no option {text!r} in {name!r}: {self.form.options.get(name)}")

    def shown(self, *names: str) -> dict[str, str]:
        """What the form shows per field: a select's chosen label, else the value."""
        form = self.form
        return {n: form.chosen.get(n, form.values.get(n, "<missing>")) if n in form.options
                else form.values.get(n, "<missing>") for n in names}

    # -- messages and links -------------------------------------------------------------
    @property
    def messages(self) -> list[tuple[str, str]]:
        """Flashed messages as (category, text): Flask-Admin's alerts or compat toasts."""
        return sorted(self.reader.alerts + self.reader.toasts)

    def offers(self, fragment: str) -> bool:
        return any(fragment in u for u in self.reader.urls)

    @property
    def details(self) -> list[tuple[str, str]]:
        return self.reader.details


def local(url: str | None) -> str | None:
    """A redirect target without scheme and host, its query decoded and sorted."""
    if not url:
        return None
    parts = urlsplit(url)
    query = sorted(parse_qsl(parts.query, keep_blank_values=True))
    return parts.path + ("?" + "&".join(f"{k}={v}" for k, v in query) if query else "")
