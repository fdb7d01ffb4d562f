"""WTForms fields the mapper-made forms need beyond WTForms' own: a select of related rows
(plain or ajax-searched, never the whole table), a multi-select for many-to-many, a JSON
textarea, and a switch.  They are real WTForms fields: validators, errors and `data` work.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from markupsafe import Markup
from sqlalchemy import Select, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Query
from wtforms import BooleanField, Field, SelectField, TextAreaField
from wtforms.fields.choices import Choice, SelectChoice
from wtforms.validators import ValidationError as WTFValidationError


def pk_value(obj: Any) -> str:
    ident = sa_inspect(obj).identity or ()
    return ",".join(str(v) for v in ident)


class SwitchField(BooleanField):
    """A Boolean rendered as a Bootstrap switch (the template checks `widget_kind`)."""

    widget_kind = "switch"


class JSONField(TextAreaField):
    """JSON edited as text; invalid JSON is a field error, the text is kept."""

    widget_kind = "textarea"

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return json.dumps(self.data, indent=2, ensure_ascii=False)

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = json.loads(valuelist[0])
        except ValueError as exc:
            self.data = None
            raise ValueError(f"Not valid JSON: {exc}") from exc


class EnumSelectField(SelectField):
    """Select over an Enum column; stores the enum member (or the string for plain Enums)."""

    widget_kind = "select"

    def __init__(self, label: str | None = None, validators: Any = None, *,
                 enum_type: Any = None, allow_blank: bool = False, **kwargs: Any) -> None:
        self.enum_class = getattr(enum_type, "enum_class", None)
        values = ([str(m.value) for m in self.enum_class] if self.enum_class
                  else list(getattr(enum_type, "enums", None) or []))
        choices = [SelectChoice(v, v.replace("_", " ").title()) for v in values]
        if allow_blank:
            choices.insert(0, SelectChoice("", "—"))
        super().__init__(label, validators, choices=choices, coerce=self._coerce, **kwargs)

    def _coerce(self, value: Any) -> Any:
        if value in ("", None):
            return None
        if self.enum_class is None:
            return str(value)
        if isinstance(value, self.enum_class):
            return value
        for member in self.enum_class:
            if str(value) in (str(member.value), member.name):
                return member
        raise ValueError("Not a valid choice.")

    def iter_choices(self):  # type: ignore[override]
        current = "" if self.data is None else str(getattr(self.data, "value", self.data))
        for c in self.choices:  # type: ignore[union-attr]
            yield Choice(c.value, c.label, c.value == current, dict(c.render_kw))

    def pre_validate(self, form: Any) -> None:
        if self.data is None:
            return
        current = str(getattr(self.data, "value", self.data))
        if current not in {c.value for c in self.choices}:  # type: ignore[union-attr]
            raise WTFValidationError(self.gettext("Not a valid choice."))


KEY_LIMIT = 2**63  # no database of ours stores a larger integer key (SQLite, BIGINT)


def typed_key(pk_type: Any, raw: Any) -> Any:
    """A posted primary key as its column's Python type; ValueError when it cannot be one
    (an integer beyond 64 bits would make the driver fail, not find nothing)."""
    value = pk_type(raw)
    if isinstance(value, int) and not -KEY_LIMIT <= value < KEY_LIMIT:
        raise ValueError(f"{raw!r} is out of range")
    return value

class RelatedField(Field):
    """A to-one relationship chosen by primary key.

    `target` is the related model; `attr` names what the field sets on save (an FK column
    key, or the relationship's own key).  Options come from `load_choices(session)`, which
    returns at most `limit` rows plus one to tell that there are more: then the field is
    rendered as an ajax search (`widget_kind = "ajax"`) instead of a select.
    """

    widget_kind = "related"

    def __init__(self, label: str | None = None, validators: Any = None, *, target: type,
                 attr: str, relation_key: str | None = None, allow_blank: bool = True,
                 ajax_url: str | None = None, placeholder: str = "", limit: int = 100,
                 query_filter: Callable[[Any], Any] | None = None,
                 query_factory: Callable[[], Any] | None = None,
                 get_label: str | Callable[[Any], Any] | None = None, **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.target, self.attr, self.relation_key = target, attr, relation_key
        self.allow_blank, self.ajax_url, self.placeholder = allow_blank, ajax_url, placeholder
        self.limit, self.query_filter = limit, query_filter
        # WTForms-SQLAlchemy's (and Flask-Admin's) options: the rows offered, and their label
        self.query_factory, self.get_label = query_factory, get_label
        self._chosen_for: tuple[Any, Any] | None = None  # (value, row): looked up once
        self.session: Any = None
        self.choices: list[tuple[str, str]] = []
        self.ajax = False
        self.selected_label = ""
        pk = list(sa_inspect(target).primary_key)[0]
        try:
            self._pk_type = pk.type.python_type
        except NotImplementedError:
            self._pk_type = str

    # -- data ----------------------------------------------------------------------------
    def _coerce(self, raw: Any) -> Any:
        if raw in (None, ""):
            return None
        if hasattr(raw, "__table__"):
            return sa_inspect(raw).identity[0]
        try:
            return typed_key(self._pk_type, raw)
        except (TypeError, ValueError) as exc:
            raise ValueError(self.gettext("Not a valid choice.")) from exc

    def process_data(self, value: Any) -> None:
        try:
            self.data = self._coerce(value)
        except ValueError:
            self.data = None

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist:
            self.data = self._coerce(valuelist[0])

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return "" if self.data is None else str(self.data)

    def bind_session(self, session: Any, ajax_auto: bool = True, force_ajax: bool = False) -> None:
        """Load the options (bounded) and the current value's label."""
        self.session, self._chosen_for = session, None
        if self.query_factory is not None:  # the caller chose the rows: a select, always
            rows = self._offered(limit=self.limit)
            self.choices = [(pk_value(r), self._label_of(r)) for r in rows]
        elif force_ajax and self.ajax_url:
            self.ajax = True
        else:
            stmt = select(self.target)
            if self.query_filter is not None:
                stmt = self.query_filter(stmt)
            rows = list(session.scalars(stmt.limit(self.limit + 1)))
            if len(rows) > self.limit and ajax_auto and self.ajax_url:
                self.ajax = True
            else:
                self.choices = [(pk_value(r), self._label_of(r)) for r in rows[: self.limit]]
        if self.data is not None:
            obj = self._chosen()
            self.selected_label = self._label_of(obj) if obj is not None else ""
            if obj is not None and not self.ajax:
                value = pk_value(obj)
                if value not in {v for v, _ in self.choices}:
                    self.choices.insert(0, (value, self.selected_label))

    def _label_of(self, obj: Any) -> str:
        if self.get_label is None:
            return str(obj)
        if callable(self.get_label):
            return str(self.get_label(obj))
        return str(getattr(obj, self.get_label))

    def _offered(self, limit: int | None = None, ident: Any = None) -> list[Any]:
        """Rows of `query_factory` (a Select, a legacy Query or any iterable of rows),
        at most `limit`, or only the one whose key is `ident`."""
        result = self.query_factory()  # type: ignore[misc]
        pk = list(sa_inspect(self.target).primary_key)[0]
        if isinstance(result, Select):
            stmt = result.where(pk == ident) if ident is not None else result
            return list(self.session.scalars(stmt.limit(limit) if limit else stmt))
        if isinstance(result, Query):
            query = result.filter(pk == ident) if ident is not None else result
            return list(query.limit(limit) if limit else query)
        rows = list(result)
        if ident is not None:
            rows = [r for r in rows if pk_value(r) == str(ident)]
        return rows[:limit] if limit else rows

    def _chosen(self) -> Any:
        """The row the field's value names, if it may be chosen (looked up once per value)."""
        if self._chosen_for is not None and self._chosen_for[0] == self.data:
            return self._chosen_for[1]
        if self.query_factory is not None:
            rows = self._offered(ident=self.data)
            row = rows[0] if rows else None
        else:
            row = self.session.get(self.target, self.data)
        self._chosen_for = (self.data, row)
        return row

    def pre_validate(self, form: Any) -> None:
        if self.data is None or self.session is None:
            return
        if self._chosen() is None:
            raise WTFValidationError(self.gettext("Not a valid choice."))

    def populate_obj(self, obj: Any, name: str) -> None:
        if self.relation_key and self.attr == self.relation_key:
            value = self._chosen() if self.data is not None else None
            setattr(obj, self.attr, value)
        else:
            setattr(obj, self.attr, self.data)

    def __call__(self, **kwargs: Any) -> Markup:  # rendering lives in the templates
        return Markup("")


class RelatedMultiField(Field):
    """A many-to-many relationship chosen by primary keys (a bounded multi-select)."""

    widget_kind = "related_multi"

    def __init__(self, label: str | None = None, validators: Any = None, *, target: type,
                 limit: int = 200, **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.target, self.limit = target, limit
        self.session: Any = None
        self.choices: list[tuple[str, str]] = []
        self.data: list[Any] = []
        pk = list(sa_inspect(target).primary_key)[0]
        try:
            self._pk_type = pk.type.python_type
        except NotImplementedError:
            self._pk_type = str

    def process_data(self, value: Any) -> None:
        self.data = [sa_inspect(v).identity[0] for v in (value or [])]

    def process_formdata(self, valuelist: list[Any]) -> None:
        values = []
        for raw in valuelist:
            if raw in ("", None):
                continue
            try:
                values.append(typed_key(self._pk_type, raw))
            except (TypeError, ValueError) as exc:
                raise ValueError(self.gettext("Not a valid choice.")) from exc
        self.data = values

    def bind_session(self, session: Any, **_: Any) -> None:
        self.session = session
        rows = list(session.scalars(select(self.target).limit(self.limit)))
        self.choices = [(pk_value(r), str(r)) for r in rows]
        known = {v for v, _ in self.choices}
        missing = [d for d in self.data if str(d) not in known]
        if missing:
            pk = list(sa_inspect(self.target).primary_key)[0]
            for r in session.scalars(select(self.target).where(pk.in_(missing))):
                self.choices.append((pk_value(r), str(r)))

    @property
    def selected(self) -> set[str]:
        return {str(d) for d in self.data}

    def pre_validate(self, form: Any) -> None:
        if not self.data or self.session is None:
            return
        pk = list(sa_inspect(self.target).primary_key)[0]
        found = set(self.session.scalars(select(pk).where(pk.in_(self.data))))
        if len(found) != len(set(self.data)):
            raise WTFValidationError(self.gettext("Not a valid choice."))

    def populate_obj(self, obj: Any, name: str) -> None:
        pk = list(sa_inspect(self.target).primary_key)[0]
        items = list(self.session.scalars(select(self.target).where(pk.in_(self.data)))) \
            if self.data else []
        setattr(obj, name, items)

    def __call__(self, **kwargs: Any) -> Markup:
        return Markup("")
