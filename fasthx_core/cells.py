"""Cell values for list, detail and export: raw value -> what a person sees.

Everything is escaped by Jinja2 unless a formatter returns `markupsafe.Markup`; exported
values are plain text with spreadsheet formulas neutralised.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from .columns import ColumnRef

Formatter = Callable[[Any, Any], Any]


def plain(value: Any) -> Any:
    """Default display: enums by value, dates ISO-like, collections joined, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return Markup('<i class="bi bi-check-lg text-success" aria-label="yes"></i>') if value \
            else Markup('<i class="bi bi-x-lg text-secondary" aria-label="no"></i>')
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, list | tuple | set):
        return ", ".join(str(plain_text(v)) for v in value)
    return value


def plain_text(value: Any) -> str:
    """Text form of a value (exports, labels)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, list | tuple | set):
        return ", ".join(plain_text(v) for v in value)
    return str(value)


def cell(ref: ColumnRef, obj: Any, formatter: Formatter | None) -> tuple[Any, Any]:
    """(raw, shown) for one cell; a formatter gets ``(value, obj)``."""
    raw = ref.get_value(obj)
    if formatter is not None:
        return raw, formatter(raw, obj)
    return raw, plain(raw)


def choice_labels(choices: Any) -> dict[str, Any]:
    """`column_choices` pairs -> {stored value as text: label} (enum members by value)."""
    return {str(getattr(v, "value", v)): label for v, label in (choices or ())}


def choice_label(labels: dict[str, Any], value: Any) -> Any:
    """The label of `value` among `labels`, else the value itself."""
    if value is None:
        return None
    return labels.get(str(getattr(value, "value", value)), value)


def choice_or_type_formatter(choices: Any, type_formatters: dict[type, Any]) -> Formatter:
    """A formatter showing `column_choices` labels, or the value through a type formatter."""
    labels = choice_labels(choices)
    by_type: dict[type, Any] = {}  # a value's type -> its type formatter (None: `plain`)

    def for_type(kind: type) -> Any:
        try:
            return by_type[kind]
        except KeyError:
            found = by_type[kind] = next(
                (type_formatters[k] for k in kind.__mro__ if k in type_formatters), None)
            return found

    def show(value: Any, obj: Any) -> Any:
        if labels and value is not None:
            return labels.get(str(getattr(value, "value", value)), plain(value))
        found = for_type(type(value))
        return plain(value) if found is None else found(value)

    if not labels:  # ``show(v, obj)`` is ``for_type(type(v))(v)``, or `plain` for None
        show.fasthx_type_formatter = for_type  # type: ignore[attr-defined]
    return show


# and their full-width forms, which spreadsheets in East Asian locales read as the ASCII ones
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def export_safe(text: str) -> str:
    """Neutralise spreadsheet formulas (CSV injection): prefix a quote to risky cells."""
    if text and text.startswith(_FORMULA_START):
        try:
            float(text)
            return text  # a plain negative number is data, not a formula
        except ValueError:
            return "'" + text
    return text
