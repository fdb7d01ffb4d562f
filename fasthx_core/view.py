"""`CRUDView`: a model's admin, configured by class attributes.

Subclass it, set ``model`` and whatever else differs from the defaults, and register it with
``admin.add_view(MyView)``.  The attributes are read once, in `CRUDView.__init__`, into the
resolved configuration the routes use (`self.list_spec`, the form plan, ...); a name that the
model does not have is a `ConfigError` at start-up, never a 500 at request time.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from fastapi import APIRouter, Depends
from sqlalchemy import Select, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session, sessionmaker
from starlette.requests import Request
from starlette.responses import Response

from . import keys
from .columns import ColumnRef, ConfigError, default_list_keys, humanize, resolve
from .filters import FilterDef, build_filter
from .forms import FormPlan, scaffold_form
from .listing import COUNT_MODES, ListParams, ListResult, ListSpec
from .urls import ViewUrls

if TYPE_CHECKING:
    from .admin import Admin


def _endpoint_marker(path: str, methods: Sequence[str] | None, route_kwargs: dict[str, Any]
                     ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn._fasthx_endpoint = (path, list(methods or ["GET"]), route_kwargs)  # type: ignore[attr-defined]
        return fn

    return decorate


def _action_marker(name: str, label: str | None, confirm: str | None, icon: str | None,
                   css_class: str | None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn._fasthx_action = {"name": name, "label": label or humanize(name),  # type: ignore[attr-defined]
                             "confirm": confirm, "icon": icon or "lightning",
                             "class": css_class or ""}
        return fn

    return decorate


def default_sort_keys(value: Any) -> list[tuple[str, bool]]:
    """`column_default_sort` as (key, descending) pairs: ``"name"``, ``"-name"``,
    ``("name", True)``, or a list of those."""
    if not value:
        return []
    out = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            out.append((item.lstrip("-"), item.startswith("-")))
        else:
            out.append((item[0], bool(item[1])))
    return out


class CRUDView:
    """List, search, filter, sort, page, create, edit, delete and export one model."""

    model: ClassVar[type]
    name: ClassVar[str | None] = None
    display_name: ClassVar[str | None] = None
    category: ClassVar[str | None] = None
    icon: ClassVar[str | None] = None

    # -- list --------------------------------------------------------------------------
    page_size: ClassVar[int] = 20
    page_size_options: ClassVar[Sequence[int]] = ()
    count_mode: ClassVar[str] = "exact"
    newest_first: ClassVar[bool] = True  # unsorted lists: primary key descending
    search_prefixes: ClassVar[bool] = False  # search words ``^start`` and ``=exact``
    column_list: ClassVar[Sequence[str] | None] = None
    column_exclude: ClassVar[Sequence[str] | None] = None
    column_labels: ClassVar[dict[str, str]] = {}
    column_searchable: ClassVar[Sequence[str] | None] = None
    column_sortable: ClassVar[Sequence[str] | None] = None
    # "name", "-name", ("name", desc), or a list of those: the first leads, the rest break ties
    column_default_sort: ClassVar[Any] = None
    column_formatters: ClassVar[dict[str, Callable[[Any, Any], Any]]] = {}
    column_formatters_detail: ClassVar[dict[str, Callable[[Any, Any], Any]] | None] = None
    column_type_formatters: ClassVar[dict[type, Callable[[Any], Any]]] = {}
    # the detail page's (None: the list's) and the export's type formatters
    column_type_formatters_detail: ClassVar[dict[type, Callable[[Any], Any]] | None] = None
    column_type_formatters_export: ClassVar[dict[type, Callable[[Any], Any]]] = {}
    column_choices: ClassVar[dict[str, Sequence[tuple[Any, str]]]] = {}
    column_descriptions: ClassVar[dict[str, str]] = {}
    column_editable_list: ClassVar[Sequence[str]] = ()  # cells edited in place in the list
    column_filters: ClassVar[Sequence[str] | None] = None
    detail_columns: ClassVar[Sequence[str] | None] = None
    detail_columns_exclude: ClassVar[Sequence[str] | None] = None
    column_export_list: ClassVar[Sequence[str] | None] = None
    column_formatters_export: ClassVar[dict[str, Callable[[Any, Any], Any]]] = {}

    # -- forms -------------------------------------------------------------------------
    form_columns: ClassVar[Sequence[str] | None] = None
    form_excluded_columns: ClassVar[Sequence[str] | None] = None
    form_args: ClassVar[dict[str, dict[str, Any]]] = {}
    form_overrides: ClassVar[dict[str, type]] = {}
    form_extra_fields: ClassVar[dict[str, Any]] = {}
    form_base_class: ClassVar[type | None] = None
    form_sections: ClassVar[dict[str, Sequence[str]] | Sequence[tuple[str, Sequence[str]]] | None]
    form_sections = None
    # The create (edit) form alone, when it differs: None uses form_columns / form_sections.
    form_create_columns: ClassVar[Sequence[str] | None] = None
    form_edit_columns: ClassVar[Sequence[str] | None] = None
    form_create_sections: ClassVar[Any] = None
    form_edit_sections: ClassVar[Any] = None
    form_widget_overrides: ClassVar[dict[str, dict[str, Any]]] = {}
    form_ajax_refs: ClassVar[dict[str, dict[str, Any]]] = {}
    form_ajax_auto: ClassVar[bool] = True
    form_fk_select_limit: ClassVar[int] = 100
    # one-to-many child rows edited inside the form: [InlineModel(Child, ...)] (or models)
    inline_models: ClassVar[Sequence[Any]] = ()
    # the error under a unique column whose value another row has
    unique_error: ClassVar[str] = "A {model} with this {field} already exists."

    # -- behaviour ---------------------------------------------------------------------
    can_create: ClassVar[bool] = True
    can_edit: ClassVar[bool] = True
    can_delete: ClassVar[bool] = True
    can_view_details: ClassVar[bool] = True
    can_export: ClassVar[bool] = True
    export_types: ClassVar[Sequence[str]] = ("csv",)
    export_max_rows: ClassVar[int] = 100_000
    row_actions: ClassVar[Sequence[dict[str, Any]]] = ()
    multi_row_actions: ClassVar[Sequence[dict[str, Any]]] = ()
    htmx_columns: ClassVar[dict[str, dict[str, Any]]] = {}
    allowed_users: ClassVar[Sequence[str] | None] = None
    # False: anonymous users may use the view too, when `is_accessible(request, None)` allows
    # (Flask-Admin's views have no login; views migrated from them state it)
    login_required: ClassVar[bool] = True
    allowed_groups: ClassVar[Sequence[str] | None] = None
    # lost-update guard: a column changing on every save (default: the mapper's
    # version_id_col, else a digest of the edited values; see fasthx_core.concurrency)
    version_column: ClassVar[str | None] = None
    session_factory: ClassVar[Callable[[], Session] | sessionmaker[Session] | None] = None

    urls_class: ClassVar[type[ViewUrls]] = ViewUrls
    url_path: ClassVar[str | None] = None  # the view's URL; default: the admin prefix + name
    list_template: ClassVar[str] = "list.html"
    # what HTMX list requests render; None: the list template, cut at its result markers
    list_partial_template: ClassVar[str | None] = "partials/table_body.html"
    create_template: ClassVar[str] = "form.html"
    edit_template: ClassVar[str] = "form.html"
    detail_template: ClassVar[str] = "detail.html"
    # open the create/edit/detail page in a modal over the list (fasthx_core.modals); the
    # modal bodies: None -> partials/modal_form.html, partials/modal_detail.html
    create_modal: ClassVar[bool] = False
    edit_modal: ClassVar[bool] = False
    detail_modal: ClassVar[bool] = False
    create_modal_template: ClassVar[str | None] = None
    edit_modal_template: ClassVar[str | None] = None
    detail_modal_template: ClassVar[str | None] = None

    endpoint = staticmethod(lambda path, methods=None, **kw: _endpoint_marker(path, methods, kw))
    """``@CRUDView.endpoint("/{name}/{item_id}/build", methods=["POST"])``: a custom route;
    ``{name}`` becomes the view's URL name and ``{prefix}`` its URL prefix."""

    action = staticmethod(lambda name, label=None, confirm=None, icon=None, css_class=None:
                          _action_marker(name, label, confirm, icon, css_class))
    """``@CRUDView.action("approve", "Approve", confirm="Approve {count} rows?")``: a batch
    action on the selected rows; the method gets ``(db, items, request)``, and the engine
    commits when it returns (raise `ValidationError` to refuse: everything is rolled back)."""

    def __init__(self, admin: Admin) -> None:
        if getattr(self, "model", None) is None:
            raise ConfigError(f"{type(self).__name__}: set the `model` class attribute")
        self.admin = admin
        model = self.model
        table = getattr(model, "__tablename__", model.__name__.lower())
        self.name = self.name or table
        self.display_name = (self.display_name or getattr(model, "__admin_name__", None)
                             or humanize(table))
        self.category = self.category or getattr(model, "__admin_category__", None) or "Other"
        self.icon = self.icon or getattr(model, "__admin_icon__", None) or "table"
        self.url = self.url_path or admin.url_prefix + "/" + self.name
        if self.count_mode not in COUNT_MODES:
            raise ConfigError(f"{type(self).__name__}.count_mode must be one of {COUNT_MODES}")
        if self.column_list is not None and self.column_exclude:
            raise ConfigError(f"{type(self).__name__}: set column_list or column_exclude, not both")
        self.pk_columns = list(sa_inspect(model).primary_key)
        self._resolve_columns()
        if self.version_column:
            resolve(model, self.version_column)  # a misspelt version column: start-up error
        self.urls = self.urls_class(self)
        self._form_plans = self._scaffold_forms()
        self._form_plan: FormPlan = self._form_plans[False]
        self.batch_actions = self._collect_actions()
        self.router = APIRouter(dependencies=[Depends(self._guard)])
        self.register_routes()
        from .inline import register_inline_routes

        register_inline_routes(self)

    # -- configuration -----------------------------------------------------------------
    @property
    def display_name_singular(self) -> str:
        name = str(self.display_name)
        return name[:-1] if name.endswith("s") and not name.endswith("ss") else name

    def _resolve_columns(self) -> None:
        model = self.model
        for key in [*(self.column_exclude or ()), *(self.detail_columns_exclude or ())]:
            resolve(model, key)  # a misspelt exclusion would silently show the column
        list_keys = list(self.column_list) if self.column_list is not None else [
            k for k in default_list_keys(model) if k not in set(self.column_exclude or ())]
        self.list_columns: list[ColumnRef] = [resolve(model, k) for k in list_keys]
        for key in list(self.column_formatters) + list(self.htmx_columns):
            if key not in list_keys:
                resolve(model, key)  # a typo is a start-up error
        if self.column_searchable is None:
            searchable = [r for r in (resolve(model, p.key)
                                      for p in sa_inspect(model).column_attrs) if r.is_string]
        else:
            searchable = [resolve(model, k) for k in self.column_searchable]
        self.searchable_columns = searchable
        if self.column_sortable is None:
            sortable = {r.key: r for r in self.list_columns
                        if (r.is_column or (r.is_relation and not r.crosses_many))
                        and not r.crosses_many}
        else:
            # a key, or (key, path): sort the column `key` by another expression
            sortable = {(k[0] if isinstance(k, tuple) else k):
                        resolve(model, k[1] if isinstance(k, tuple) else k)
                        for k in self.column_sortable}
        filters: dict[str, FilterDef] = {}
        for key in self.column_filters or ():
            if hasattr(key, "fasthx_filter"):  # a filter object (e.g. Flask-Admin's)
                fdef = key.fasthx_filter(model)
                base, n = fdef.key, 1
                while fdef.key in filters:
                    n += 1
                    fdef.alias = f"{base}{n}"
                filters[fdef.key] = fdef
                continue
            ref = resolve(model, key)
            filters[key] = build_filter(ref, (self.column_labels or {}).get(key))
        sort_keys = default_sort_keys(self.column_default_sort)
        default_sort = sort_keys[0] if sort_keys else None
        if default_sort and default_sort[0] not in sortable:
            sortable[default_sort[0]] = resolve(model, default_sort[0])
        then_sort = tuple((resolve(model, key), desc) for key, desc in sort_keys[1:])
        self.list_spec = ListSpec(
            model=model, columns=self.list_columns, searchable=searchable, sortable=sortable,
            filters=filters, default_sort=default_sort, then_sort=then_sort,
            page_size=self.page_size,
            page_size_options=tuple(self.page_size_options), count_mode=self.count_mode,
            newest_first=self.newest_first, search_prefixes=self.search_prefixes)
        detail_keys = list(self.detail_columns) if self.detail_columns is not None else [
            k for k in default_list_keys(model) + [
                r.key for r in sa_inspect(model).relationships if r.uselist]
            if k not in set(self.detail_columns_exclude or ())]
        self.detail_refs = [resolve(model, k) for k in detail_keys]
        export_keys = list(self.column_export_list) if self.column_export_list is not None \
            else list_keys
        self.export_refs = [resolve(model, k) for k in export_keys]

    def _scaffold_forms(self) -> dict[bool, FormPlan]:
        """The form plans for an edit (False) and a create (True); one plan when the two
        forms have the same fields."""
        edit_keys = self.form_edit_columns or self.form_columns
        create_keys = self.form_create_columns or self.form_columns
        edit = scaffold_form(self, edit_keys)
        same = list(create_keys or ()) == list(edit_keys or ())
        return {False: edit, True: edit if same else scaffold_form(self, create_keys)}

    def form_plan(self, is_new: bool) -> FormPlan:
        """The generated form of a create (``is_new``) or an edit, with its field facts."""
        return self._form_plans[bool(is_new)]

    def form_sections_for(self, is_new: bool) -> Any:
        """The sections of the create or edit form (`form_create_sections` /
        `form_edit_sections`, else `form_sections`)."""
        own = self.form_create_sections if is_new else self.form_edit_sections
        return own if own is not None else self.form_sections

    def _collect_actions(self) -> dict[str, dict[str, Any]]:
        actions: dict[str, dict[str, Any]] = {}
        if self.can_delete:
            actions["delete"] = {"name": "delete", "label": "Delete", "icon": "trash",
                                 "confirm": "Delete {count} selected rows?",
                                 "class": "text-danger", "handler": None}
        for attr in dir(type(self)):
            fn = getattr(type(self), attr, None)
            meta = getattr(fn, "_fasthx_action", None)
            if meta:
                actions[meta["name"]] = dict(meta, handler=getattr(self, attr))
        return {k: v for k, v in actions.items() if self.is_action_allowed(k)}

    def formatter_for(self, key: str, detail: bool = False) -> Callable[[Any, Any], Any] | None:
        """How a column's value is shown: its formatter (the detail one on the detail page),
        else its `column_choices` label, else a formatter for the value's type.  Worked out
        once per column (it is asked for every cell of every page)."""
        cache = self.__dict__.setdefault("_formatter_cache", {})
        if (key, detail) not in cache:
            cache[(key, detail)] = self._formatter(key, detail)
        return cache[(key, detail)]

    def _formatter(self, key: str, detail: bool) -> Callable[[Any, Any], Any] | None:
        if detail and self.column_formatters_detail and key in self.column_formatters_detail:
            return self.column_formatters_detail[key]
        if key in (self.column_formatters or {}):
            return self.column_formatters[key]
        choices = (self.column_choices or {}).get(key)
        type_formatters = (self.column_type_formatters_detail
                           if detail and self.column_type_formatters_detail is not None
                           else self.column_type_formatters) or {}
        if choices is None and not type_formatters:
            return None
        from .cells import choice_or_type_formatter

        return choice_or_type_formatter(choices, type_formatters)

    def batch_deleted_message(self, count: int) -> str:
        """What the batch delete says when done."""
        return f"Deleted {count} rows."

    def is_action_allowed(self, name: str) -> bool:
        """May this view offer the batch action `name`?  (Checked when actions are collected
        and again when one is run.)"""
        return True

    def label(self, key: str) -> str:
        return (self.column_labels or {}).get(key) or humanize(key)

    def get_colspan(self) -> int:
        """Columns of a list row, including the selection and actions columns."""
        return len(self.list_columns) + 2

    def get_nav_info(self) -> dict[str, Any]:
        return {"name": self.name, "display_name": self.display_name, "category": self.category,
                "icon": self.icon, "url": self.url}

    # -- sessions ----------------------------------------------------------------------
    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """One session for one request's work: rolled back on error, always closed."""
        from .db import as_session_factory, get_session_factory

        factory = self.session_factory
        if factory is None:  # the admin's (``Admin(app, session_factory=...)``), else init_db's
            factory = getattr(self.admin, "session_factory", None)
        factory = get_session_factory() if factory is None else as_session_factory(factory)
        db = factory()
        try:
            yield db
        except BaseException:
            db.rollback()
            raise
        finally:
            db.close()

    # -- per-request decisions (override these) ----------------------------------------
    def is_accessible(self, request: Request, user: dict[str, Any] | None) -> bool:
        """May this user use this view at all?  Default: ``allowed_users``/``allowed_groups``."""
        from .auth import user_in_groups

        if user is None and not self.login_required:  # an open view: anyone, unless restricted
            return not self.allowed_groups and not self.allowed_users
        return user_in_groups(user, self.allowed_groups, self.allowed_users)

    def get_query(self, db: Session) -> Select:
        """Rows this view may see (list, detail, edit, delete, export, batch)."""
        return select(self.model)

    def get_count_query(self, db: Session) -> Select | None:
        """A cheaper statement to count the list's rows, or None to derive it."""
        return None

    def after_list_query(self, db: Session, params: ListParams, result: ListResult
                         ) -> ListResult:
        """The list page as loaded (`result.rows`, `result.total`), in its session, before
        its cells are read: return it, or one with other rows or total (decorate the rows,
        drop some, add computed attributes formatters then show)."""
        return result

    def get_one(self, db: Session, id_values: tuple[Any, ...]) -> Any:
        stmt = self.get_query(db).where(keys.where_pk(self.model, id_values))
        return db.scalars(stmt.limit(1)).first()

    def create_item(self) -> Any:
        return self.model()

    # -- hooks -------------------------------------------------------------------------
    def validate(self, item: Any, form_data: dict[str, Any], is_new: bool) -> None:
        """Raise `ValidationError` to refuse a save; the form keeps the user's input."""

    def on_model_change(self, item: Any, form_data: dict[str, Any], is_new: bool,
                        db: Session, request: Request | None = None) -> None:
        """Called before the commit; may raise `ValidationError`."""

    def after_model_change(self, item: Any, form_data: dict[str, Any], is_new: bool,
                           db: Session, request: Request | None = None) -> None:
        """Called after a successful commit."""

    def on_model_delete(self, item: Any, db: Session) -> None:
        """Called before a delete; may raise `ValidationError` to refuse it."""

    def after_model_delete(self, item: Any, db: Session) -> None:
        """Called after a delete is committed."""

    def build_form(self, db: Session, formdata: Any = None, obj: Any = None) -> Any:
        """The WTForms form for a create (``obj=None``) or an edit, bound to `db`."""
        from .forms import bind_form

        plan = self.form_plan(obj is None)
        form = plan.form_class(formdata, obj=obj)
        bind_form(self, form, db, plan)
        return form

    def save_model(self, db: Session, form: Any, item: Any, is_new: bool,
                   request: Request | None, form_data: dict[str, Any]) -> Any:
        """Copy the form into `item`, run `validate` and `on_model_change`, commit; return the
        saved row.  Raise `ValidationError` to refuse; any exception rolls back.

        An inline cell edit (`column_editable_list`) calls it too, with a form holding only
        that cell's field; `form_data` still has every field's value."""
        from .saving import populate_and_commit

        return populate_and_commit(self, db, form, item, is_new, request, form_data)

    def delete_model(self, db: Session, item: Any) -> None:
        """Run `on_model_delete`, delete, commit (any exception rolls back)."""
        self.on_model_delete(item, db)
        db.delete(item)
        db.commit()

    def register_routes(self) -> None:
        """Put this view's routes on ``self.router`` (the native URL scheme)."""
        from .routes import register_routes

        register_routes(self)

    def invalid_form_message(self, is_new: bool) -> str:
        """What a create (``is_new``) or an edit refused by its form's validation says above
        the form (each field shows its own errors)."""
        return "Please correct the errors below."

    def save_error_message(self, exc: Exception) -> str:
        """What the user is told when a hook raised something other than ValidationError
        (the change is rolled back and the exception logged).  Override to reveal more."""
        return "Could not save because of an unexpected error; nothing was changed."

    def setup_endpoints(self) -> None:
        """Register extra routes on ``self.router`` (older style than `CRUDView.endpoint`)."""

    # -- helpers for custom endpoints --------------------------------------------------
    def get_item(self, db: Session, item_id: str) -> Any:
        """The row a URL's ``item_id`` names, through `get_query`; `NotFound` (404) otherwise.

        For custom endpoints: ``device = self.get_item(db, item_id)``.
        """
        from .guard import NotFound

        try:
            ident = keys.from_url(self.model, item_id)
        except keys.BadKey as exc:
            raise NotFound(item_id) from exc
        item = self.get_one(db, ident)
        if item is None:
            raise NotFound(item_id)
        return item

    def item_url(self, obj: Any, action: str = "") -> str:
        base = f"{self.url}/{keys.to_url(self.model, obj)}"
        return f"{base}/{action}" if action else base

    def progress_key(self, item_id: Any) -> str:
        return f"{self.name}:{item_id}"

    def progress_response(self, request: Request, item_id: Any, progress: int = 0,
                          status: str = "Starting…") -> Response:
        """Start a progress bar row under the clicked row; it polls until 100 %."""
        from .progress import progress_row_response, set_progress

        set_progress(self.progress_key(item_id), progress, status)
        return progress_row_response(self, request, item_id)

    async def _guard(self, request: Request) -> None:
        from .guard import guard_view

        await guard_view(self, request)
