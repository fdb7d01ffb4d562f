"""Forms made from the mapper with WTForms.

The SQLAlchemy type of each column picks its WTForms field from `FIELD_TABLE` (looked up
along the type's MRO); nullability, defaults, lengths and uniqueness pick validators; the
view's `form_columns`, `column_labels`, `form_widget_overrides` and `form_ajax_refs` adjust
the result.  The class is built once per view; an instance per request.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy import types as sat
from sqlalchemy.orm import ColumnProperty, RelationshipProperty
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    DecimalField,
    Field,
    FloatField,
    Form,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms import (
    TimeField as WTFTimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import UnboundField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from .columns import humanize
from .fields import (
    EnumSelectField,
    JSONField,
    RelatedField,
    RelatedMultiField,
    SwitchField,
)

if TYPE_CHECKING:
    from .view import CRUDView


class _KeepsStoredPrecision:
    """For date-time and time inputs: show seconds when the value has them, and when the
    value comes back as it was shown, keep the stored one.  The input cannot show fractions
    of a second (PostgreSQL and SQLite store microseconds, MySQL/MariaDB with ``fsp``) nor
    a time zone, and an edit of another field must not cut them off."""

    data: Any
    object_data: Any
    raw_data: Any
    _shown_formats: tuple[str, str]

    def _value(self) -> str:
        if self.raw_data:
            return " ".join(self.raw_data)
        if not self.data:
            return ""
        short, full = self._shown_formats
        return self.data.strftime(full if self.data.second or self.data.microsecond else short)

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)  # type: ignore[misc]
        stored = self.object_data
        if (stored is not None and type(stored) is type(self.data)
                and stored.replace(microsecond=0, tzinfo=None) == self.data):
            self.data = stored


class DateTimeField(_KeepsStoredPrecision, DateTimeLocalField):
    """``<input type="datetime-local">`` accepting values with or without seconds."""

    _shown_formats = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("format", ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M",
                                     "%Y-%m-%d %H:%M:%S"])
        super().__init__(*args, **kwargs)


class TimeField(_KeepsStoredPrecision, WTFTimeField):
    """``<input type="time">`` accepting values with or without seconds."""

    _shown_formats = ("%H:%M", "%H:%M:%S")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("format", ["%H:%M", "%H:%M:%S"])
        super().__init__(*args, **kwargs)


# SQLAlchemy type -> WTForms field class.  Float precedes Numeric on purpose: on SQLAlchemy
# 2.1 Float is not a Numeric subclass, and a missing entry must never drop a column.
FIELD_TABLE: dict[type, type[Field]] = {
    sat.Boolean: SwitchField,
    sat.Enum: EnumSelectField,
    sat.Integer: IntegerField,
    sat.Float: FloatField,
    sat.Numeric: DecimalField,
    sat.DateTime: DateTimeField,
    sat.Date: DateField,
    sat.Time: TimeField,
    sat.JSON: JSONField,
    sat.Text: TextAreaField,
    sat.String: StringField,
}

# `form_widget_overrides[...]["type"]` -> field class.
OVERRIDE_TYPES: dict[str, type[Field]] = {
    "text": StringField, "textarea": TextAreaField, "password": PasswordField,
    "hidden": HiddenField, "checkbox": BooleanField, "switch": SwitchField,
    "number": IntegerField, "decimal": DecimalField, "float": FloatField, "date": DateField,
    "datetime": DateTimeField, "time": TimeField, "json": JSONField, "select": SelectField,
    "email": StringField, "url": StringField,
}

# field class -> how `_form_field.html` renders it.
WIDGET_KINDS: dict[type, str] = {
    SwitchField: "switch", BooleanField: "checkbox", TextAreaField: "textarea",
    JSONField: "textarea", EnumSelectField: "select", SelectField: "select",
    RelatedField: "related", RelatedMultiField: "related_multi", HiddenField: "hidden",
}

# Override keys that configure the field rather than becoming HTML attributes.
_META_KEYS = {"type", "choices", "label", "required", "description", "default",
              "validators", "coerce"}


def widget_kind(f: Field) -> str:
    for klass in type(f).__mro__:
        if klass in WIDGET_KINDS:
            return WIDGET_KINDS[klass]
    return "input"


def field_class_for(sa_type: Any) -> type[Field] | None:
    if isinstance(sa_type, sat.TypeDecorator):
        sa_type = sa_type.impl_instance if hasattr(sa_type, "impl_instance") else sa_type.impl
    for klass in type(sa_type).__mro__:
        if klass in FIELD_TABLE:
            return FIELD_TABLE[klass]
    return None


class BaseForm(Form):
    """Base of every generated form; CSRF is checked by the route guard, not per form."""

    #: the database the form saves to (set by `bind_form`), for validators that depend on it
    db_dialect: Any = None


# Bytes a MySQL/MariaDB text type holds; a length-less `Text` is a TEXT there.
MYSQL_TEXT_BYTES = {"TINYTEXT": 255, "TEXT": 65_535, "UNICODE_TEXT": 65_535,
                    "MEDIUMTEXT": 16_777_215}


class StorableText:
    """Refuse text the column's database cannot store, instead of failing at the INSERT:
    NUL characters (PostgreSQL rejects them in any text) and, on MySQL/MariaDB, text over
    the byte size of a TINYTEXT/TEXT/MEDIUMTEXT column (65,535 bytes for a plain `Text`;
    PostgreSQL and SQLite have no such limit)."""

    def __init__(self, sa_type: Any) -> None:
        self.sa_type = sa_type

    def __call__(self, form: Any, field: Field) -> None:
        from wtforms.validators import ValidationError as WTFValidationError

        data = field.data
        if not isinstance(data, str):
            return
        if "\x00" in data:
            raise WTFValidationError("Contains a NUL character, which cannot be stored.")
        dialect = getattr(form, "db_dialect", None)
        if dialect is None or dialect.name not in ("mysql", "mariadb"):
            return
        impl = self.sa_type.dialect_impl(dialect)
        limit = None if getattr(impl, "length", None) else MYSQL_TEXT_BYTES.get(
            str(getattr(impl, "__visit_name__", "")).upper())
        if limit is not None and len(data.encode("utf-8")) > limit:
            raise WTFValidationError(f"Too long: this column stores at most {limit:,} bytes "
                                     "of UTF-8 text.")


class ColumnRange(NumberRange):
    """The range an integer column can store.  Silent when there is no number: a value that
    did not parse already says why, and an empty one is for the required check."""

    def __call__(self, form: Any, field: Field) -> None:
        if field.data is not None:
            super().__call__(form, field)


class NumericFits:
    """A decimal must fit its ``NUMERIC(precision, scale)`` column.  PostgreSQL and
    MySQL/MariaDB refuse a value with more digits before the point than the column has
    (SQLite would keep it); more decimals than the scale are rounded by all of them."""

    def __init__(self, precision: int | None, scale: int | None) -> None:
        self.precision, self.scale = precision, scale or 0

    def __call__(self, form: Any, field: Field) -> None:
        from wtforms.validators import ValidationError as WTFValidationError

        value = field.data
        if value is None or self.precision is None or not isinstance(value, decimal.Decimal):
            return
        if not value.is_finite():  # "NaN", "Infinity": no NUMERIC column stores them
            raise WTFValidationError("Not a valid number.")
        whole = self.precision - self.scale
        too_long = f"At most {whole} digit{'s' if whole != 1 else ''} before the decimal point."
        if value.adjusted() >= whole:  # before rounding: quantize would overflow on 1e999
            raise WTFValidationError(too_long)
        exact = decimal.Context(prec=whole + self.scale + 1)
        if abs(value.quantize(decimal.Decimal(1).scaleb(-self.scale), context=exact)) \
                >= 10**whole:
            raise WTFValidationError(too_long)


@dataclass
class FormPlan:
    """A view's generated form class plus what the routes need to know about its fields."""

    form_class: type[BaseForm]
    model_fields: list[str] = field(default_factory=list)
    virtual_fields: list[str] = field(default_factory=list)
    related: dict[str, dict[str, Any]] = field(default_factory=dict)
    unique_checks: list[tuple[str, ...]] = field(default_factory=list)  # field key groups
    choice_loaders: dict[str, Callable[[Any], Any]] = field(default_factory=dict)
    # NOT NULL columns with a default: an empty input on create leaves the default in place.
    default_on_empty: set[str] = field(default_factory=set)


def default_form_keys(model: type) -> list[str]:
    """Every column except autoincrement primary keys, plus many-to-many relationships."""
    mapper = sa_inspect(model)
    keys: list[str] = []
    for prop in mapper.column_attrs:
        col = prop.columns[0]
        if col.primary_key and _is_autoincrement(col):
            continue
        if col.table is not mapper.local_table or col is mapper.version_id_col:
            continue
        keys.append(prop.key)
    for rel in mapper.relationships:
        if rel.secondary is not None and not rel.viewonly:
            keys.append(rel.key)
    return keys


def _is_autoincrement(col: Any) -> bool:
    if col.autoincrement is True:
        return True
    return (col.autoincrement == "auto" and isinstance(col.type, sat.Integer)
            and not col.foreign_keys and len(col.table.primary_key.columns) == 1)


def _has_default(col: Any) -> bool:
    return col.default is not None or col.server_default is not None


def scaffold_form(view: CRUDView, columns: Sequence[str] | None = None) -> FormPlan:
    """The form of `columns` (default: the view's `form_columns`, else every column)."""
    model = view.model
    mapper = sa_inspect(model)
    columns = columns if columns is not None else view.form_columns
    keys = list(columns) if columns else [k for k in default_form_keys(model)
                                          if k != getattr(view, "version_column", None)]
    keys = [k for k in keys if k not in set(view.form_excluded_columns or ())]
    overrides = dict(view.form_widget_overrides or {})
    fk_rel = {}
    for rel in mapper.relationships:
        if rel.direction.name == "MANYTOONE":
            for col in rel.local_columns:
                fk_rel.setdefault(col.key, rel)
    plan = FormPlan(form_class=BaseForm)
    attrs: dict[str, Field] = {}
    from .inline import inline_fields

    inlines = inline_fields(view)  # one-to-many rows edited in the form (inline_models)
    extra_fields = dict(view.form_extra_fields or {})
    for key in [*keys, *(k for k in inlines if k not in keys)]:
        if key in inlines:
            attrs[key] = inlines[key]
            plan.model_fields.append(key)
            continue
        if key in extra_fields:  # listed to place it: an extra field wins over a column
            attrs[key] = extra_fields[key]
            (plan.model_fields if key in mapper.attrs else plan.virtual_fields).append(key)
            continue
        ov = dict(overrides.get(key, {}))
        prop = mapper.attrs.get(key) if key in mapper.attrs else None
        if isinstance(prop, RelationshipProperty):
            attrs[key] = _relation_field(view, key, prop, ov, plan)
            plan.model_fields.append(key)
        elif isinstance(prop, ColumnProperty):
            col = prop.columns[0]
            rel = fk_rel.get(col.key)
            if rel is not None and "type" not in ov:
                attrs[key] = _fk_field(view, key, col, rel, ov, plan)
            else:
                attrs[key] = _column_field(view, key, col, ov, plan)
            plan.model_fields.append(key)
            single_pk = col.primary_key and len(mapper.primary_key) == 1
            if col.unique or single_pk and not _is_autoincrement(col):
                plan.unique_checks.append((key,))
        elif key in overrides:
            attrs[key] = _virtual_field(view, key, ov, plan)
            plan.virtual_fields.append(key)
        else:
            from .columns import ConfigError

            raise ConfigError(f"{view.__class__.__name__}.form_columns: {model.__name__} has "
                              f"no column or relationship {key!r}")
    for key, ov in overrides.items():
        if key not in attrs and key not in mapper.attrs:
            attrs[key] = _virtual_field(view, key, dict(ov), plan)
            plan.virtual_fields.append(key)
    for key, unbound in extra_fields.items():
        if key not in attrs:
            attrs[key] = unbound
            plan.virtual_fields.append(key)
    for key, klass in (view.form_overrides or {}).items():
        if key in attrs:
            attrs[key] = _override_class(attrs[key], klass)
    for key, args in (view.form_args or {}).items():
        if key in attrs:
            attrs[key] = _apply_args(attrs[key], args)
    pk_keys = tuple(mapper.get_property_by_column(c).key for c in mapper.primary_key)
    if len(pk_keys) > 1 and all(k in plan.model_fields for k in pk_keys):
        plan.unique_checks.append(pk_keys)  # a composite key is unique as a whole
    base = view.form_base_class or BaseForm
    plan.form_class = type(f"{model.__name__}Form", (base,), _in_order(attrs))
    return plan


def _in_order(attrs: dict[str, Any]) -> dict[str, Any]:
    """WTForms orders a form's fields by when each was made, so a field given ``form_args``
    (made again) or a ``form_extra_fields`` entry (made before the form) would move: make
    them all again, in the plan's order."""
    return {key: UnboundField(u.field_class, *u.args, name=u.name, **u.kwargs)
            if isinstance(u, UnboundField) else u for key, u in attrs.items()}


# kwargs every WTForms field accepts; an overriding class gets only these
_COMMON_FIELD_KWARGS = ("validators", "filters", "description", "default", "render_kw", "id",
                        "widget", "name")


def _override_class(unbound: Any, klass: type[Field]) -> Any:
    """`form_overrides`: the same label and generic options, another field class."""
    kwargs = {k: v for k, v in unbound.kwargs.items() if k in _COMMON_FIELD_KWARGS}
    label = unbound.args[0] if unbound.args else kwargs.pop("label", None)
    return klass(label, **kwargs)


def _apply_args(unbound: Any, args: dict[str, Any]) -> Any:
    """`form_args`: merge per-field options.  Given validators run after the generated
    required/optional one (which must stay first to stop the chain on empty input)."""
    kwargs = dict(unbound.kwargs)
    label = unbound.args[0] if unbound.args else kwargs.pop("label", None)
    for name, value in args.items():
        if name == "label":
            label = value
        elif name == "validators":
            current = list(kwargs.get("validators", []))
            kwargs["validators"] = current[:1] + list(value) + current[1:]
        else:
            kwargs[name] = value
    return unbound.field_class(label, *unbound.args[1:], **kwargs)


def _label(view: CRUDView, key: str, ov: dict[str, Any], fallback: str | None = None) -> str:
    return ov.get("label") or (view.column_labels or {}).get(key) or fallback or humanize(key)


def _render_kw(ov: dict[str, Any]) -> dict[str, Any]:
    kw: dict[str, Any] = {}
    for k, v in ov.items():
        if k in _META_KEYS or v is None or callable(v) or isinstance(v, dict | list | tuple):
            continue
        kw[k.replace("_", "-")] = v
    if ov.get("type") in ("email", "url"):
        kw["type"] = ov["type"]
    return kw


def _required(col: Any, ov: dict[str, Any], string: bool) -> bool:
    if "required" in ov:
        return bool(ov["required"])
    return not col.nullable and not _has_default(col) and not (
        col.primary_key and _is_autoincrement(col))


def _column_field(view: CRUDView, key: str, col: Any, ov: dict[str, Any],
                  plan: FormPlan) -> Field:
    if not col.nullable and _has_default(col):
        plan.default_on_empty.add(key)
    sa_type = col.type
    klass: type[Field] | None
    if "type" in ov:
        klass = OVERRIDE_TYPES.get(ov["type"], StringField)
    else:
        klass = field_class_for(sa_type)
    if klass is None:
        klass = StringField
    is_string = isinstance(sa_type, sat.String) and not isinstance(sa_type, sat.Enum)
    required = _required(col, ov, is_string)
    validators: list[Any] = []
    if klass in (BooleanField, SwitchField):
        required = False
    if required:
        validators.append(DataRequired() if is_string and klass is not SelectField
                          else InputRequired())
    else:
        validators.append(Optional())
    length = getattr(sa_type, "length", None)
    if is_string and length:
        validators.append(Length(max=length))
    if is_string:
        validators.append(StorableText(sa_type))
    if klass is IntegerField:
        bits = integer_bits(sa_type)
        validators.append(ColumnRange(min=-(2**(bits - 1)), max=2**(bits - 1) - 1))
    numeric = klass is DecimalField and isinstance(sa_type, sat.Numeric)
    if numeric:
        validators.append(NumericFits(sa_type.precision, sa_type.scale))
    validators.extend(ov.get("validators", []))
    kwargs: dict[str, Any] = {"validators": validators, "render_kw": _render_kw(ov),
                              "description": ov.get("description") or (
                                  view.column_descriptions or {}).get(key) or col.doc or ""}
    default = ov.get("default")
    if default is None and col.default is not None and getattr(col.default, "is_scalar", False):
        default = col.default.arg
    if default is not None:
        kwargs["default"] = default
    if numeric:  # shown with the column's own decimals (WTForms would round to 2)
        kwargs["places"] = sa_type.scale
    if klass is EnumSelectField:
        kwargs["enum_type"] = sa_type
        kwargs["allow_blank"] = bool(col.nullable) and not ov.get("required")
    elif klass is SelectField:
        coerce = ov.get("coerce") or _coercer(sa_type)
        kwargs["coerce"] = coerce
        choices = ov.get("choices", [])
        if callable(choices):
            plan.choice_loaders[key] = choices
            choices = []
        kwargs["choices"] = _norm_choices(choices, not required)
    elif is_string and klass in (StringField, TextAreaField) and col.nullable:
        kwargs["filters"] = [lambda v: v if v not in ("",) else None]
    return klass(_label(view, key, ov), **kwargs)


def integer_bits(sa_type: Any) -> int:
    """Bits of an integer column on PostgreSQL and MySQL/MariaDB (SQLite stores 64 for all):
    ``SmallInteger`` 16, ``Integer`` 32, ``BigInteger`` 64, so a value that fits is accepted
    the same on every database and one that does not is a form error, not a database error."""
    for klass in type(sa_type).__mro__:
        if klass is sat.BigInteger:
            return 64
        if klass is sat.SmallInteger:
            return 16
        if klass is sat.Integer:
            return 32
    return 64


def _coercer(sa_type: Any) -> Callable[[Any], Any]:
    try:
        py = sa_type.python_type
    except NotImplementedError:
        py = str

    def coerce(value: Any) -> Any:
        if value in ("", None):
            return None
        return py(value) if py in (int, float, str) else value

    return coerce


def _norm_choices(choices: Any, blank: bool) -> list[SelectChoice]:
    """Accept values, ``(value, label)`` pairs or SelectChoices; add a blank when optional."""
    out: list[SelectChoice] = []
    for c in choices:
        if isinstance(c, SelectChoice):
            out.append(c)
        elif isinstance(c, list | tuple):
            out.append(SelectChoice(c[0], str(c[1])))
        else:
            out.append(SelectChoice(c, str(c)))
    if blank and not any(c.value in ("", None) for c in out):
        out.insert(0, SelectChoice("", "—"))
    return out


def _fk_field(view: CRUDView, key: str, col: Any, rel: RelationshipProperty,
              ov: dict[str, Any], plan: FormPlan) -> Field:
    ajax = _ajax_config(view, key, rel.key)
    required = _required(col, ov, False)
    validators = [InputRequired()] if required else [Optional()]
    plan.related[key] = {"target": rel.mapper.class_, "ajax": ajax}
    return RelatedField(
        _label(view, key, ov, humanize(rel.key)), validators, target=rel.mapper.class_,
        attr=key, relation_key=None, allow_blank=not required,
        ajax_url=view.urls.ajax(key), placeholder=(ajax or {}).get(
            "placeholder", ov.get("placeholder", "Type to search…")),
        limit=view.form_fk_select_limit, render_kw=_render_kw(ov),
        description=ov.get("description", ""))


def _relation_field(view: CRUDView, key: str, rel: RelationshipProperty,
                    ov: dict[str, Any], plan: FormPlan) -> Field:
    target = rel.mapper.class_
    if rel.uselist:
        return RelatedMultiField(_label(view, key, ov), [Optional()], target=target,
                                 render_kw=_render_kw(ov))
    required = any(not c.nullable for c in rel.local_columns) if "required" not in ov \
        else bool(ov["required"])
    plan.related[key] = {"target": target, "ajax": _ajax_config(view, key, key)}
    return RelatedField(
        _label(view, key, ov), [InputRequired()] if required else [Optional()],
        target=target, attr=key, relation_key=key, allow_blank=not required,
        ajax_url=view.urls.ajax(key),
        placeholder=ov.get("placeholder", "Type to search…"),
        limit=view.form_fk_select_limit, render_kw=_render_kw(ov))


def _virtual_field(view: CRUDView, key: str, ov: dict[str, Any], plan: FormPlan) -> Field:
    klass = OVERRIDE_TYPES.get(ov.get("type", "text"), StringField)
    validators: list[Any] = [InputRequired()] if ov.get("required") else [Optional()]
    kwargs: dict[str, Any] = {"validators": validators, "render_kw": _render_kw(ov),
                              "description": ov.get("description", "")}
    if klass is SelectField:
        choices = ov.get("choices", [])
        if callable(choices):
            plan.choice_loaders[key] = choices
            choices = []
        kwargs["choices"] = _norm_choices(choices, not ov.get("required"))
        kwargs["validate_choice"] = False
    return klass(_label(view, key, ov), **kwargs)


def _ajax_config(view: CRUDView, *keys: str) -> dict[str, Any] | None:
    refs = view.form_ajax_refs or {}
    for key in keys:
        if key in refs:
            return dict(refs[key])
    return None


def bind_form(view: CRUDView, form: BaseForm, session: Any,
              plan: FormPlan | None = None) -> None:
    """Give related fields their session and options; fill callable choices; tell the
    validators which database the form saves to.  `plan` is the form's (default: the edit
    form's)."""
    plan = plan or view._form_plan
    try:
        form.db_dialect = session.get_bind(mapper=sa_inspect(view.model)).dialect
    except Exception:  # an unbound session: dialect-specific checks are skipped
        form.db_dialect = None
    for name, loader in plan.choice_loaders.items():
        f = form[name]
        required = any(isinstance(v, InputRequired) for v in f.validators)
        f.choices = _norm_choices(loader(session), not required)
    for f in form:
        if isinstance(f, RelatedField):
            info = plan.related.get(f.name, {})
            f.bind_session(session, ajax_auto=view.form_ajax_auto,
                           force_ajax=info.get("ajax") is not None)
        elif isinstance(f, RelatedMultiField):
            f.bind_session(session)
        elif hasattr(f, "bind_rows"):  # inline child rows (fasthx_core.inline)
            f.bind_rows(view, session)


def unique_errors(view: CRUDView, form: BaseForm, session: Any, item: Any) -> dict[str, str]:
    """'already exists' messages for unique columns (and composite primary keys, as a
    whole), checked before the INSERT/UPDATE; the message goes under the group's first field."""
    errors: dict[str, str] = {}
    model = view.model
    pk_cols = list(sa_inspect(model).primary_key)
    ident = sa_inspect(item).identity if sa_inspect(item).persistent else None
    for group in view.form_plan(ident is None).unique_checks:
        values = [form[key].data for key in group]
        if any(value is None or value == "" for value in values):
            continue
        stmt = select(*(getattr(model, k) for k in group)).where(
            *(getattr(model, k) == v for k, v in zip(group, values, strict=True)))
        if ident:
            from sqlalchemy import and_, not_

            stmt = stmt.where(not_(and_(*(c == v for c, v in zip(pk_cols, ident, strict=True)))))
        if session.execute(stmt.limit(1)).first() is not None:
            what = " and ".join(form[key].label.text.lower() for key in group)
            errors[group[0]] = view.unique_error.format(model=view.display_name_singular,
                                                        field=what)
    return errors
