"""Flask-Admin ModelView -> fasthx_core CRUDView, by the translation table.

`register_model_view` builds one CRUDView subclass per Flask-Admin view: class attributes come
from `translation.ROWS` through the converters below, hooks call the Flask-Admin methods with
their Flask-Admin signatures, and the routes use Flask-Admin's URL scheme.  No CRUD step is
implemented here: listing, forms, saving, deleting, export and batch actions are the core's.
"""

from __future__ import annotations

import contextlib
import dataclasses
import inspect
import logging
import warnings
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

from sqlalchemy import Select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Query, Session, scoped_session, sessionmaker
from sqlalchemy.orm.attributes import QueryableAttribute
from starlette.requests import Request
from starlette.responses import RedirectResponse

from fasthx_core import CRUDView
from fasthx_core.guard import is_htmx
from fasthx_core.listing import ListParams, ListResult
from fasthx_core.toasts import flash, pop_flashes, toast_response

from . import translation
from ._context import SessionProxy, current_request, current_session, loaded_list
from .actions import declared_actions

log = logging.getLogger("flask_admin_compat")


# -- keys ----------------------------------------------------------------------------------
def attr_key(model: type, value: Any) -> str:
    """A column name, an attribute of the model, or an attribute of a related model -> key."""
    if isinstance(value, str):
        return value
    if isinstance(value, QueryableAttribute):
        owner = value.class_
        if owner is model or issubclass(model, owner):
            return value.key
        for rel in sa_inspect(model).relationships:
            if rel.mapper.class_ is owner:
                return f"{rel.key}.{value.key}"
        raise ValueError(f"{value} is not reachable from {model.__name__}")
    raise TypeError(f"cannot use {value!r} as a column")


def _plain_column(prop: Any) -> Any:
    """The one column of a column property, or None for multi-column properties."""
    cols = getattr(prop, "columns", None)
    return cols[0] if cols and len(cols) == 1 else None


def fa_default_list(fa: Any) -> list[str]:
    """Flask-Admin's default list, in the mapper's attribute order (as Flask-Admin walks it):
    columns (no primary key unless column_display_pk, no foreign keys) and many-to-one
    relations (all relations with column_display_all_relations)."""
    keys: list[str] = []
    for prop in sa_inspect(fa.model).attrs:
        if hasattr(prop, "direction"):
            if prop.direction.name == "MANYTOONE" or fa.column_display_all_relations:
                keys.append(prop.key)
            continue
        col = _plain_column(prop)
        if col is None or col.foreign_keys or (col.primary_key and not fa.column_display_pk):
            continue
        keys.append(prop.key)
    return keys


def fa_default_sortable(fa: Any) -> list[str]:
    """Flask-Admin's default sortable columns: plain columns, never relations or foreign keys,
    the primary key only with column_display_pk."""
    keys: list[str] = []
    for prop in sa_inspect(fa.model).column_attrs:
        col = _plain_column(prop)
        if col is None or col.foreign_keys or (col.primary_key and not fa.column_display_pk):
            continue
        keys.append(prop.key)
    return keys


def fa_default_form(fa: Any) -> list[str]:
    """Flask-Admin's default form, in the mapper's attribute order: columns except primary
    and foreign keys, and relations."""
    mapper = sa_inspect(fa.model)
    keys: list[str] = []
    for prop in mapper.attrs:
        if hasattr(prop, "direction"):
            if not prop.viewonly:
                keys.append(prop.key)
            continue
        col = _plain_column(prop)
        if col is not None and not col.primary_key and not col.foreign_keys \
                and col.table is mapper.local_table:
            keys.append(prop.key)
    return keys


# -- converters (one per "convert" row of the table) ------------------------------------
def _keys(fa: Any, values: Any) -> list[str] | None:
    return None if values is None else [attr_key(fa.model, v) for v in values]


def _formatters(fa: Any, formatters: dict[str, Any] | None) -> dict[str, Any]:
    def wrap(name: str, fn: Callable[..., Any]) -> Callable[[Any, Any], Any]:
        return lambda value, obj: fn(fa, {"name": name}, obj, name)

    return {attr_key(fa.model, k): wrap(attr_key(fa.model, k), fn)
            for k, fn in (formatters or {}).items()}


def _type_formatters(fa: Any, formatters: dict[type, Any] | None,
                     other: Callable[[Any], Any] = lambda value: value) -> dict[type, Any]:
    """Type formatters with Flask-Admin's signature -> the engine's ``fn(value)``; a value of
    any other type is shown by `other` (as is: rendered as text, as Flask-Admin does)."""
    def wrap(fn: Callable[..., Any]) -> Callable[[Any], Any]:
        try:
            takes_name = len(inspect.signature(fn).parameters) >= 3
        except (TypeError, ValueError):
            takes_name = False
        return (lambda value: fn(fa, value, "")) if takes_name else (lambda value: fn(fa, value))

    out = {t: wrap(fn) for t, fn in (formatters or {}).items()}
    out.setdefault(object, other)
    return out


def _export_text(value: Any) -> str:
    """An exported value of a type without an export formatter: its text (Flask-Admin's CSV
    writer writes ``str(value)``)."""
    return "" if value is None else str(value)


def _or(value: Any, default: str) -> Any:
    """`value`, or Flask-Admin's default type formatters named `default` when it is None."""
    if value is not None:
        return value
    from .model import typefmt

    return getattr(typefmt, default)


def _details(fa: Any) -> list[str]:
    """The details page's columns: `column_details_list`, else Flask-Admin's default list
    (no primary key, no foreign keys, no to-many relations), minus
    `column_details_exclude_list`."""
    excluded = set(_keys(fa, fa.column_details_exclude_list) or ())
    keys = _keys(fa, fa.column_details_list) or fa_default_list(fa)
    return [k for k in keys if k not in excluded]


def _sortable(fa: Any, values: Any) -> list[Any] | None:
    if values is None:
        return fa_default_sortable(fa)
    out: list[Any] = []
    for v in values:
        if isinstance(v, tuple):
            out.append((attr_key(fa.model, v[0]), attr_key(fa.model, v[1])))
        else:
            out.append(attr_key(fa.model, v))
    return out


def _default_sort(fa: Any, value: Any) -> Any:
    """'name', ('name', desc) or a list of those (the first leads, the rest break ties)."""
    if value is None:
        return None
    if isinstance(value, list):
        return [_default_sort(fa, v) for v in value] or None
    if isinstance(value, tuple):
        return (attr_key(fa.model, value[0]), bool(value[1]))
    return attr_key(fa.model, value)


def _filters(fa: Any, values: Any) -> list[Any] | None:
    if values is None:
        return None
    out: list[Any] = []
    for v in values:
        if hasattr(v, "fasthx_filter"):  # a Flask-Admin filter object: one operation
            out.append(v)
            continue
        key = attr_key(fa.model, v)
        rel = sa_inspect(fa.model).relationships.get(key)
        if rel is not None:
            out.extend(_related_filters(rel))
        elif "." in key and key not in (fa.column_labels or {}):
            out.append(RelatedColumnFilter(key, _dotted_label(fa.model, key)))
        else:
            out.append(key)
    return out


def _dotted_label(model: type, key: str) -> str:
    """Flask-Admin's label for ``"maker.name"``: ``maker / Maker / Name`` (the relation, the
    related table, the column)."""
    first, _, column = key.rpartition(".")
    rel = sa_inspect(model).relationships.get(first.split(".")[0])
    table = rel.mapper.local_table.name if rel is not None else first
    return f"{first} / {prettify(table)} / {prettify(column)}"


def _related_filters(rel: Any) -> list[RelatedColumnFilter]:
    """A relation named in column_filters filters by each column of the related model (not
    its keys), labelled ``Relation / Column``, as Flask-Admin expands it."""
    out = []
    for prop in rel.mapper.column_attrs:
        col = _plain_column(prop)
        if col is None or col.primary_key or col.foreign_keys:
            continue
        label = f"{prettify(rel.mapper.local_table.name)} / {prettify(prop.key)}"
        out.append(RelatedColumnFilter(f"{rel.key}.{prop.key}", label))
    return out


def prettify(name: str) -> str:
    """Flask-Admin's column label: ``in_stock`` -> ``In Stock``."""
    return " ".join(w.capitalize() for w in name.replace("_", " ").split())


class RelatedColumnFilter:
    """A related model's column with every operation of its type (a filter object for the
    engine, so the same column may be listed again, as Flask-Admin allows)."""

    def __init__(self, key: str, label: str) -> None:
        self.key, self.label = key, label

    def fasthx_filter(self, model: type) -> Any:
        from fasthx_core.columns import resolve
        from fasthx_core.filters import build_filter

        return build_filter(resolve(model, self.key), self.label)


def _value_lookups(fa: Any, attrs: dict[str, Any]) -> dict[str, Any]:
    """A view overriding ``get_list_value`` / ``get_detail_value`` / ``get_export_value`` (or
    ``_get_list_value``, behind all three) shows those cells through it: every column of that
    page gets a formatter calling it (its result is final, as in Flask-Admin)."""
    common = _overridden(fa, "_get_list_value")
    out: dict[str, Any] = {}
    for hook, target, columns in (
            ("get_list_value", "column_formatters", attrs["column_list"]),
            ("get_detail_value", "column_formatters_detail", attrs["detail_columns"]),
            ("get_export_value", "column_formatters_export",
             attrs.get("column_export_list") or attrs["column_list"])):
        if common or _overridden(fa, hook):
            out[target] = {key: _value_of(fa, hook, key) for key in columns}
    return out


def _value_of(fa: Any, hook: str, key: str) -> Callable[[Any, Any], Any]:
    method = getattr(fa, hook)
    if hook == "get_export_value":
        return lambda value, obj: method(obj, key)
    return lambda value, obj: method({"name": key}, obj, key)


def _row_actions(fa: Any) -> list[dict[str, Any]]:
    """``column_extra_row_actions`` (and link actions in ``list_row_actions``) -> row actions;
    view/edit/delete are the list's own buttons."""
    actions = list(fa.column_extra_row_actions or ()) + list(fa.list_row_actions or ())
    return [n for n in (a.to_native(fa) for a in actions if hasattr(a, "to_native")) if n]


def _widget_overrides(fa: Any) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for field, kw in (fa.form_widget_args or {}).items():
        out.setdefault(field, {}).update(kw)
    for field, choices in (fa.form_choices or {}).items():
        out.setdefault(field, {}).update({"type": "select", "choices": list(choices)})
    return out


def _ajax_refs(fa: Any) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for field, cfg in (fa.form_ajax_refs or {}).items():
        if isinstance(cfg, dict):
            out[field] = {"fields": [attr_key(_target(fa, field), f) if not isinstance(f, str)
                                     else f for f in cfg.get("fields", ())],
                          "page_size": cfg.get("page_size", 10),
                          "placeholder": cfg.get("placeholder", "Type to search…")}
        else:  # a loader object: the fields it searches
            out[field] = {"fields": [getattr(f, "key", f) for f in getattr(cfg, "fields", ())],
                          "page_size": getattr(cfg, "page_size", 10)}
    return out


def _target(fa: Any, field: str) -> type:
    rel = sa_inspect(fa.model).relationships.get(field)
    return rel.mapper.class_ if rel is not None else fa.model


def _rule_layout(fa: Any, rules: Any) -> tuple[list[str] | None,
                                               list[tuple[str, list[str]]] | None]:
    """One form's rules -> (its columns, its sections), as in Flask-Admin: the rules name the
    fields the form has (None: no rules, every form column); FieldSets become sections; text,
    HTML, header and macro rules render in place; a Container keeps its fields, wrapped.
    `form_extra_fields` are left out of the columns (the engine adds them to every form)."""
    if not rules:
        return None, None
    from .form import rules as rule_mod

    extra = set(fa.form_extra_fields or ())
    columns: list[str] = []
    sections: list[tuple[str, list[Any]]] = []
    loose: list[Any] = []
    structured = False

    def entries(rule: Any) -> list[Any]:
        """A rule -> its fields in order, with text blocks kept where they stand."""
        if isinstance(rule, str):
            return [rule]
        if getattr(rule, "fasthx_block", False) or isinstance(rule, rule_mod.Container):
            return [rule]  # rendered in place (a Container with the fields it wraps)
        if isinstance(rule, rule_mod.NestedRule):
            return [e for r in rule.rules for e in entries(r)]
        return rule.field_names() if isinstance(rule, rule_mod.BaseRule) else []

    for rule in rules:
        found = entries(rule)
        if isinstance(rule, rule_mod.FieldSet):
            structured = True
            if loose:
                sections.append(("", loose))
                loose = []
            sections.append((rule.header or "", found))
        else:
            loose.extend(found)
        structured = structured or any(not isinstance(e, str) for e in found)
        named = [n for e in found
                 for n in ([e] if isinstance(e, str) else getattr(e, "fasthx_wraps", []))]
        columns.extend(n for n in named if n not in extra and n not in columns)
    if loose:
        sections.append(("", loose))
    return columns, (sections if structured else None)


def _form_layouts(fa: Any) -> dict[str, Any]:
    """`form_create_rules` / `form_edit_rules` (else `form_rules`) -> each form's columns and
    sections; a form without rules has every form column."""
    attrs: dict[str, Any] = {}
    for mode, rules in (("create", fa.form_create_rules or fa.form_rules),
                        ("edit", fa.form_edit_rules or fa.form_rules)):
        attrs[f"form_{mode}_columns"], attrs[f"form_{mode}_sections"] = \
            _rule_layout(fa, rules)
    return attrs


def translate(fa: Any) -> dict[str, Any]:
    """Class attributes of the core view for a Flask-Admin view (the table, applied)."""
    model = fa.model
    attrs: dict[str, Any] = {}
    unsupported = []
    for row in translation.ROWS:
        value = getattr(fa, row.fa_name, None)
        if row.kind in ("same", "rename") and value is not None:
            attrs[row.native] = value  # type: ignore[index]
        elif row.kind == "unsupported" and value:
            unsupported.append(row)
    column_list = _keys(fa, fa.column_list)
    if column_list is None:
        column_list = [k for k in fa_default_list(fa)
                       if k not in set(_keys(fa, fa.column_exclude_list) or ())]
    attrs["column_list"] = column_list
    attrs.pop("column_exclude", None)
    attrs["detail_columns"] = _details(fa)
    if fa.column_export_list is None and fa.column_export_exclude_list:
        excluded = set(_keys(fa, fa.column_export_exclude_list) or ())
        attrs["column_export_list"] = [k for k in column_list if k not in excluded]
    attrs["column_searchable"] = _keys(fa, fa.column_searchable_list) or []
    attrs["column_sortable"] = _sortable(fa, fa.column_sortable_list)
    attrs["column_default_sort"] = _default_sort(fa, fa.column_default_sort)
    attrs["column_filters"] = _filters(fa, fa.column_filters)
    attrs["column_formatters"] = _formatters(fa, fa.column_formatters)
    attrs["column_formatters_detail"] = _formatters(fa, fa.column_formatters_detail) or None
    attrs["column_formatters_export"] = _formatters(fa, fa.column_formatters_export)
    attrs["column_type_formatters"] = _type_formatters(fa, _or(fa.column_type_formatters,
                                                               "BASE_FORMATTERS"))
    attrs["column_type_formatters_detail"] = _type_formatters(
        fa, _or(fa.column_type_formatters_detail, "DETAIL_FORMATTERS"))
    attrs["column_type_formatters_export"] = _type_formatters(
        fa, _or(fa.column_type_formatters_export, "EXPORT_FORMATTERS"), _export_text)
    attrs.update(_value_lookups(fa, attrs))
    attrs["row_actions"] = _row_actions(fa)
    attrs["form_widget_overrides"] = _widget_overrides(fa)
    attrs["form_ajax_refs"] = _ajax_refs(fa)
    attrs["form_columns"] = list(fa.form_columns) if fa.form_columns else [
        k for k in fa_default_form(fa) if k not in set(fa.form_excluded_columns or ())]
    attrs.update(_form_layouts(fa))
    from .inline import inline_models

    attrs["inline_models"] = inline_models(fa)
    attrs["page_size_options"] = tuple(fa.page_size_options or ()) if fa.can_set_page_size \
        else ()
    # Flask-Admin counts exactly unless simple_list_pager; the engine's estimate may be asked for
    attrs["count_mode"] = "none" if fa.simple_list_pager else getattr(fa, "count_mode", "exact")
    attrs["export_max_rows"] = fa.export_max_rows or 10_000_000
    attrs["detail_template"] = fa.details_template
    attrs["newest_first"] = False  # Flask-Admin leaves unsorted lists in key order
    attrs["search_prefixes"] = True  # Flask-Admin's ``^start`` and ``=exact`` search words
    attrs["unique_error"] = "Already exists."  # Flask-Admin's Unique validator's message
    attrs["list_partial_template"] = None  # HTMX gets the results part of list.html
    for row in unsupported:
        warnings.warn(f"{type(fa).__name__}.{row.fa_name} is not supported yet ({row.note}); "
                      "it has no effect", stacklevel=3)
    attrs["model"] = model
    return attrs


def session_factory_for(source: Any) -> Callable[[], tuple[Session, Callable[[], None]]]:
    """How to get one request's session from what the view was given, and how to end it."""
    if isinstance(source, scoped_session):
        def scoped() -> tuple[Session, Callable[[], None]]:
            return source(), source.remove
        return scoped
    if isinstance(source, sessionmaker):
        def made() -> tuple[Session, Callable[[], None]]:
            s = source()
            return s, s.close
        return made
    if isinstance(source, Session):
        def per_request() -> tuple[Session, Callable[[], None]]:
            s = Session(bind=source.get_bind(), expire_on_commit=source.expire_on_commit)
            return s, s.close
        return per_request
    if hasattr(source, "session") and hasattr(source, "Model"):  # a Flask-SQLAlchemy object
        return session_factory_for(source.session)
    raise TypeError(f"ModelView needs a Session, scoped_session or sessionmaker, not {source!r}")


def to_select(query: Any) -> Select:
    if isinstance(query, Query):
        return query.statement  # type: ignore[return-value]
    return query


def _overridden(fa: Any, name: str) -> bool:
    from .contrib.sqla.view import ModelView

    mine = getattr(type(fa), name, None)
    base = getattr(ModelView, name, None)
    return mine is not None and mine is not base


class CompatCRUDView(CRUDView):
    """A core view driven by a Flask-Admin view (``self.fa``)."""

    fa: ClassVar[Any]
    shown_by_link = True

    # -- context -----------------------------------------------------------------------
    def template_extras(self, request: Request) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        model = getattr(request.state, "fx_compat_model", None)
        if model is not None:  # the edit and details pages: Flask-Admin's ``model``
            extra["model"] = model
        if _overridden(self.fa, "render"):  # the view's render(template, **kwargs) override
            from .base import render_arguments

            extra = render_arguments(self.fa, self._page_template(request), extra) or extra
        return self.fa.admin.template_context(self.fa, request, extra)

    def _page_template(self, request: Request) -> str:
        """The Flask-Admin template attribute of the page being drawn."""
        path = request.url.path
        for suffix, attr in (("/new/", "create_template"), ("/edit/", "edit_template"),
                             ("/details/", "details_template")):
            if path.endswith(suffix):
                return getattr(self.fa, attr)
        return self.fa.list_template

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        db, end = self.fa._session_factory()
        previous = current_session.get()
        token = current_session.set(db)
        try:
            yield db
        except BaseException:
            db.rollback()
            raise
        finally:
            try:
                current_session.reset(token)
            except ValueError:  # a streamed export ends in another context
                current_session.set(previous)
            end()

    async def _guard(self, request: Request) -> None:
        from .model_routes import guard

        await guard(self, request)

    def is_accessible(self, request: Request | None, user: Any) -> bool:
        return bool(self.fa.is_accessible())

    # -- queries -----------------------------------------------------------------------
    def get_query(self, db: Session) -> Select:
        return to_select(self.fa.get_query())

    def get_count_query(self, db: Session) -> Select | None:
        if _overridden(self.fa, "get_count_query"):
            return to_select(self.fa.get_count_query())
        return None

    def after_list_query(self, db: Session, params: ListParams, result: ListResult
                         ) -> ListResult:
        """The view's ``get_list`` override, when it has one, with Flask-Admin's arguments
        (0-based page, sort column name, search, ``(index, name, value)`` filters); its
        ``super().get_list()`` is the engine's ``(count, rows)``."""
        if not _overridden(self.fa, "get_list"):
            return result
        table = getattr(self.urls, "filter_table", [])
        filters = [(table.index((f.key, f.op)) if (f.key, f.op) in table else None,
                    f.label or f.key, f.raw) for f in params.filters]
        token = loaded_list.set((result.total, result.rows))
        try:
            count, rows = self.fa.get_list(result.page - 1, params.sort, params.desc,
                                           params.q, filters, True, params.page_size)
        finally:
            loaded_list.reset(token)
        rows = list(rows)
        if count is None or count == result.total:
            return dataclasses.replace(result, rows=rows)
        return dataclasses.replace(result, rows=rows, total=count,
                                   has_next=result.page * result.page_size < count)

    def get_one(self, db: Session, id_values: tuple[Any, ...]) -> Any:
        if _overridden(self.fa, "get_one"):
            item = self.fa.get_one(",".join(str(v) for v in id_values))
        else:
            item = super().get_one(db, id_values)
        request = current_request.get()
        if request is not None:  # the row this request shows (``model`` in templates)
            request.state.fx_compat_model = item
        return item

    # -- forms and saving --------------------------------------------------------------
    def _scaffold_forms(self) -> dict[bool, Any]:
        """The engine's forms, unless the view chooses its form classes (``form``,
        ``scaffold_form``, ``get_form``, ...): then the classes those give."""
        from .form_classes import plan_for, uses_form_methods

        fa = self.fa
        if not uses_form_methods(fa):
            return super()._scaffold_forms()
        fa.core = self  # scaffold_form() builds through this engine view
        return {True: plan_for(self.model, fa.get_create_form()),
                False: plan_for(self.model, fa.get_edit_form())}

    def build_form(self, db: Session, formdata: Any = None, obj: Any = None) -> Any:
        """The engine's form, or the view's ``create_form()``/``edit_form(obj=...)`` when it
        overrides them (their ``super()`` fills the form from what the engine asked for);
        a submission is checked by the view's ``validate_form`` when it overrides it."""
        from .form_classes import guard_validation, pending_form

        fa = self.fa
        if _overridden(fa, "create_form" if obj is None else "edit_form"):
            token = pending_form.set((db, formdata))
            try:
                form = fa.create_form() if obj is None else fa.edit_form(obj=obj)
            finally:
                pending_form.reset(token)
        else:
            form = super().build_form(db, formdata, obj)
        if formdata is not None and _overridden(fa, "validate_form"):
            guard_validation(fa, form)
        if obj is not None and formdata is None:
            fa.on_form_prefill(form, getattr(obj, "id", None))
        return form

    def on_model_change(self, item: Any, form_data: Any, is_new: bool, db: Session,
                        request: Request | None = None) -> None:
        self.fa.on_model_change(getattr(form_data, "form", None), item, is_new)

    def after_model_change(self, item: Any, form_data: Any, is_new: bool, db: Session,
                           request: Request | None = None) -> None:
        if _overridden(self.fa, "get_save_return_url") and request is not None:
            # asked while the saved row is still in its session (see model_routes._submit)
            request.state.fx_save_return = self.fa.get_save_return_url(item, is_new)
        if _overridden(self.fa, "create_model" if is_new else "update_model"):
            return  # as in Flask-Admin, create/update_model run it themselves (or not at all)
        self.fa.after_model_change(getattr(form_data, "form", None), item, is_new)

    def on_model_delete(self, item: Any, db: Session) -> None:
        self.fa.on_model_delete(item)

    def after_model_delete(self, item: Any, db: Session) -> None:
        if not _overridden(self.fa, "delete_model"):  # else delete_model runs it (or not)
            self.fa.after_model_delete(item)

    def save_model(self, db: Session, form: Any, item: Any, is_new: bool,
                   request: Request | None, form_data: dict[str, Any]) -> Any:
        if getattr(form, "_fx_refused", False):  # validate_form said no, without field errors
            from fasthx_core import ValidationError

            raise ValidationError(self.invalid_form_message(is_new))  # its flashes stay
        if is_new and _overridden(self.fa, "create_model"):
            saved = self.fa.create_model(form)
        elif not is_new and _overridden(self.fa, "update_model"):
            saved = self.fa.update_model(form, item) and item
        else:
            return super().save_model(db, form, item, is_new, request, form_data)
        if not saved:
            from fasthx_core import ValidationError

            raise ValidationError(_pop_flash_text(request) or "Could not save the record.")
        return saved

    def delete_model(self, db: Session, item: Any) -> None:
        if _overridden(self.fa, "delete_model"):
            if not self.fa.delete_model(item):
                from fasthx_core import ValidationError

                raise ValidationError(_pop_flash_text(current_request.get())
                                      or "Could not delete the record.")
            return
        super().delete_model(db, item)

    def invalid_form_message(self, is_new: bool) -> str:
        """Flask-Admin's flash for a refused form."""
        from .babel import gettext

        return gettext("Failed to create record." if is_new else "Failed to save record.")

    def save_error_message(self, exc: Exception) -> str:
        if self.fa.handle_view_exception(exc):
            return _pop_flash_text(current_request.get()) or str(exc)
        return super().save_error_message(exc)

    # -- batch actions -----------------------------------------------------------------
    def _collect_actions(self) -> dict[str, dict[str, Any]]:
        actions = super()._collect_actions()
        if "delete" in actions:
            actions["delete"]["confirm"] = "Are you sure you want to delete selected records?"
        fa = self.fa
        for found in declared_actions(type(fa)):
            actions[found.name] = {"name": found.name, "label": found.text,
                                   "confirm": found.confirmation, "icon": "lightning",
                                   "class": "", "handler": _fa_action(fa, found.attr)}
        return {k: v for k, v in actions.items() if fa.is_action_allowed(k)}

    def is_action_allowed(self, name: str) -> bool:
        return bool(self.fa.is_action_allowed(name))

    def label(self, key: str) -> str:
        """Flask-Admin's column label: `column_labels`, else the name with ``_`` as spaces,
        title-cased (``maker.name`` -> ``Maker.Name``)."""
        return (self.column_labels or {}).get(key) or key.replace("_", " ").title()

    def batch_deleted_message(self, count: int) -> str:
        from .babel import ngettext

        return ngettext("Record was successfully deleted.",
                        "%(count)s records were successfully deleted.", count, count=count)

    def register_routes(self) -> None:
        from .model_routes import register_routes

        register_routes(self)


def _fa_action(fa: Any, attr: str) -> Callable[..., Any]:
    from fasthx_core import keys

    def run(db: Session, items: list[Any], request: Request) -> Any:
        ids = [keys.to_url(fa.model, item) for item in items]
        earlier = pop_flashes(request)
        try:
            result = getattr(fa, attr)(ids)
        finally:
            own = pop_flashes(request)
            _reflash(request, earlier)
        if result is not None and hasattr(result, "status_code"):
            from .base import to_response

            _reflash(request, own)
            return to_response(result)
        return _action_answer(fa, request, own)

    return run


# toast types, most severe first: an action's flashes shown as one toast take the worst
_SEVERITY = ("danger", "warning", "success", "info")


def _action_answer(fa: Any, request: Request, own: list[dict[str, Any]]) -> Any:
    """Flask-Admin's actions flash and redirect.  Over HTMX the action's own flashes become
    one toast (earlier ones wait for the next page); otherwise they wait in the session for
    the page the redirect shows.  An action that flashed nothing gets the engine's message."""
    if not own:
        return None
    if not is_htmx(request):
        from .model_routes import _return_url

        _reflash(request, own)
        return RedirectResponse(_return_url(request, fa.core.urls.list()), status_code=303)
    kinds = [t.get("type") for t in own]
    kind = next((k for k in _SEVERITY if k in kinds), "info")
    text = " ".join(str(t.get("message", "")) for t in own)
    return toast_response(text, kind, refresh=kind != "danger")


def _reflash(request: Request, toasts: list[dict[str, Any]]) -> None:
    for t in toasts:
        flash(request, str(t.get("message", "")), t.get("type", "info"), t.get("title"))


def _pop_flash_text(request: Request | None) -> str:
    from fasthx_core.toasts import pop_flashes

    if request is None:
        return ""
    return " ".join(str(t.get("message", "")) for t in pop_flashes(request))


def register_model_view(fa: Any, admin: Any) -> None:
    fa._session_factory = session_factory_for(fa._session_source)
    attrs = translate(fa)
    attrs.update(fa=fa, name=fa.endpoint, display_name=fa.name,
                 category=fa.category or admin.name, icon=_icon(fa), url_path=fa.url)
    from .model_urls import FlaskAdminUrls

    attrs["urls_class"] = FlaskAdminUrls
    from .form.macros import check

    check(fa, admin.core.templates.env, (fa.form_create_rules, fa.form_edit_rules, fa.form_rules))
    if not _overridden(fa, "get_query"):
        # Flask-Admin's own ``session.query(model)`` is the engine's ``select(model)``: let
        # the engine build it (and reuse an unfiltered list's statements) rather than go
        # through a legacy Query on every request
        attrs["get_query"] = CRUDView.get_query
    core_class = type(f"{type(fa).__name__}Core", (CompatCRUDView,), attrs)
    fa.core = admin.core.add_view(core_class)


def _icon(fa: Any) -> str:
    from .menu import _icon as icon_of

    return icon_of(fa.menu_icon_type, fa.menu_icon_value) or "table"


__all__ = ["CompatCRUDView", "register_model_view", "translate", "SessionProxy", "log"]
