"""Inline child rows: the rows of a one-to-many relationship edited inside the parent's form.

A view lists them declaratively::

    class UserView(CRUDView):
        model = User
        inline_models = [InlineModel(Address, form_columns=["street", "city"])]

Each entry becomes one form field (`InlineRows`, a WTForms ``FieldList`` of ``FormField``s
built from the child mapper by the same field table as every form).  Posted names follow
Flask-Admin's scheme, so forms written for it keep working: ``<relationship>-<n>-<field>``,
the child's key in a hidden ``<relationship>-<n>-<pk>`` and ``del-<relationship>-<n>`` to delete
an existing row.  The rows are saved by the parent's save, in the same transaction: any failure
rolls back parent and children alike, and the form comes back with every row's input and its
errors.  "Add" fetches one blank row over HTMX (``GET <view url>/-inline/<relationship>``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from markupsafe import Markup
from sqlalchemy import inspect as sa_inspect
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from wtforms import FieldList, FormField, HiddenField
from wtforms.utils import unset_value

from .columns import ConfigError, humanize

if TYPE_CHECKING:
    from .view import CRUDView

# Most rows one relationship accepts in a post: a bound on the work a forged form can ask for.
MAX_ROWS = 500


class _NoAjaxUrls:
    """Child forms show bounded selects only (their FKs have no ajax route of their own)."""

    @staticmethod
    def ajax(_key: str) -> None:
        return None


class InlineModel:
    """One inline relationship of a view: configure it by keyword or by subclassing.

    `relationship` names the parent's one-to-many relationship (found from `model` when the
    parent has exactly one to it).  The form options mean what they mean on `CRUDView`.
    `on_model_change(form, child, is_new)` runs for each saved child, before the commit.
    """

    model: ClassVar[Any] = None
    relationship: ClassVar[str | None] = None
    label: ClassVar[str | None] = None
    form_columns: ClassVar[Sequence[str] | None] = None
    form_excluded_columns: ClassVar[Sequence[str] | None] = None
    form_args: ClassVar[dict[str, dict[str, Any]]] = {}
    form_overrides: ClassVar[dict[str, type]] = {}
    form_extra_fields: ClassVar[dict[str, Any]] = {}
    form_widget_overrides: ClassVar[dict[str, dict[str, Any]]] = {}
    form_base_class: ClassVar[type | None] = None
    column_labels: ClassVar[dict[str, str]] = {}
    column_descriptions: ClassVar[dict[str, str]] = {}
    form_fk_select_limit: ClassVar[int] = 100
    # a ready WTForms form class for a row instead of the generated one (each of its fields
    # that the child model has is saved to it)
    form_class: ClassVar[type | None] = None
    # what scaffold_form reads besides the options above
    form_ajax_refs: ClassVar[dict[str, Any]] = {}
    form_ajax_auto: ClassVar[bool] = False
    urls: ClassVar[Any] = _NoAjaxUrls()

    def __init__(self, model: Any = None, **options: Any) -> None:
        if model is not None:
            self.model = model
        for key, value in options.items():
            if key.startswith("_") or not hasattr(type(self), key):
                raise TypeError(f"InlineModel: unknown option {key!r}")
            setattr(self, key, value)
        if self.model is None:
            raise ConfigError(f"{type(self).__name__}: set the child `model`")

    def on_model_change(self, form: Any, child: Any, is_new: bool) -> None:
        """Called for each child row saved (created or changed), before the commit."""

    def postprocess_form(self, form_class: type) -> type:
        """Adjust the row's form class once, at start-up (add or replace fields)."""
        return form_class


class InlineSpec:
    """An `InlineModel` resolved against its parent view: the relationship, the child form."""

    def __init__(self, view: Any, inline: InlineModel) -> None:
        from .forms import FormPlan, default_form_keys, scaffold_form

        parent = sa_inspect(view.model)
        child_model = inline.model
        rel = self._relationship(view, parent, inline)
        self.inline, self.key, self.rel = inline, rel.key, rel
        back_columns = {c.key for c in rel.remote_side}
        child_mapper = sa_inspect(child_model)
        self.pk_keys = tuple(child_mapper.get_property_by_column(c).key
                             for c in child_mapper.primary_key)
        if inline.form_columns is not None:
            columns = list(inline.form_columns)
        else:
            back_keys = {child_mapper.get_property_by_column(c).key
                         for c in child_mapper.columns if c.key in back_columns}
            columns = [k for k in default_form_keys(child_model) if k not in back_keys]
        self.plan = FormPlan(form_class=inline.form_class) if inline.form_class \
            else scaffold_form(inline, columns)
        form_class = inline.postprocess_form(inline.form_class or self.plan.form_class)
        for name in dir(form_class):  # fields of a given or post-processed form class
            unbound = getattr(form_class, name, None)
            if hasattr(unbound, "field_class") and name in child_mapper.attrs \
                    and name not in self.plan.model_fields and name not in self.pk_keys:
                self.plan.model_fields.append(name)
        self.hidden_pk = [k for k in self.pk_keys if not hasattr(form_class, k)]
        if self.hidden_pk:  # the row's key travels in hidden inputs, as in Flask-Admin
            form_class = type(form_class.__name__, (form_class,),
                              {k: HiddenField() for k in self.hidden_pk})
        self.form_class = form_class
        self.label = inline.label or (view.column_labels or {}).get(rel.key) or humanize(rel.key)

    @staticmethod
    def _relationship(view: Any, parent: Any, inline: InlineModel) -> Any:
        name = type(view).__name__
        if inline.relationship:
            rel = parent.relationships.get(inline.relationship)
            if rel is None:
                raise ConfigError(f"{name}.inline_models: {view.model.__name__} has no "
                                  f"relationship {inline.relationship!r}")
        else:
            found = [r for r in parent.relationships
                     if r.direction.name == "ONETOMANY" and not r.viewonly
                     and issubclass(inline.model, r.mapper.class_)]
            if len(found) != 1:
                raise ConfigError(f"{name}.inline_models: {view.model.__name__} has "
                                  f"{len(found)} one-to-many relationships to "
                                  f"{inline.model.__name__}; name one with `relationship=`")
            rel = found[0]
        if rel.direction.name != "ONETOMANY" or rel.viewonly:
            raise ConfigError(f"{name}.inline_models: {rel.key} is not a one-to-many "
                              "relationship")
        return rel

    def field(self) -> Any:
        """The unbound form field of the parent's form."""
        return InlineRows(self, label=self.label)


class InlineRows(FieldList):
    """The child rows of one relationship.  Rendered by ``partials/inline_rows.html`` (as a
    block of the form, not a single input); saved by `populate_obj`."""

    fasthx_block = True

    def __init__(self, spec: InlineSpec, label: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("max_entries", MAX_ROWS)
        super().__init__(FormField(spec.form_class), label, **kwargs)
        self.spec = spec
        self.session: Any = None
        self.view: Any = None

    # -- data ----------------------------------------------------------------------------
    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        self._children = {}
        if formdata and data is not unset_value:
            for child in data or ():
                ident = sa_inspect(child).identity
                if ident is not None:
                    self._children[tuple(str(v) for v in ident)] = child
        super().process(formdata, data, extra_filters)

    def _add_entry(self, formdata: Any = None, data: Any = unset_value,
                   index: int | None = None) -> Any:
        """A posted row starts from the saved row its key names (WTForms would pair rows by
        position), and its delete mark is read under the number it was posted with (WTForms
        renumbers the rows afterwards)."""
        if formdata and index is not None:
            key = tuple(_first(formdata, f"{self.name}-{index}-{k}")
                        for k in self.spec.pk_keys)
            data = self._children.get(key, unset_value)
        entry = super()._add_entry(formdata, data, index)
        entry.delete = bool(formdata) and f"del-{entry.id}" in formdata
        return entry

    def validate(self, form: Any, extra_validators: Any = ()) -> bool:
        """Rows marked for deletion are not validated; `errors` lists the failing rows'."""
        self.errors: list[Any] = []  # type: ignore[misc]
        for entry in self.entries:
            if not entry.delete and not entry.validate(form):
                self.errors.append(entry.errors)
        return not self.errors

    def row_key(self, entry: Any) -> tuple[str, ...] | None:
        values = tuple(str(entry.form[k].data or "") for k in self.spec.pk_keys)
        return values if all(values) else None

    def populate_obj(self, obj: Any, name: str) -> None:
        """Update the posted rows that are the parent's, delete those marked, add the new
        ones.  Rows not posted stay as they are; a key naming another parent's row (or none)
        makes a new row, never a change to someone else's."""
        spec = self.spec
        children = getattr(obj, name)
        state = sa_inspect(obj)
        existing = {}
        if state.persistent:
            for child in children:
                ident = sa_inspect(child).identity
                if ident is not None:
                    existing[tuple(str(v) for v in ident)] = child
        for entry in self.entries:
            key = self.row_key(entry)
            child = existing.get(key) if key else None
            if entry.delete:
                if child is not None:
                    self.session.delete(child)
                continue
            is_new = child is None
            if is_new:
                child = spec.inline.model()
                children.append(child)
            sub = entry.form
            for field_name in spec.plan.model_fields:
                if is_new and sub[field_name].data is None and \
                        field_name in spec.plan.default_on_empty:
                    continue
                sub[field_name].populate_obj(child, field_name)
            spec.inline.on_model_change(sub, child, is_new)

    # -- binding and rendering -----------------------------------------------------------
    def bind_rows(self, view: Any, session: Any) -> None:
        """Give every row's selects their session and options (called by `bind_form`)."""
        from .forms import bind_form

        self.view, self.session = view, session
        for entry in self.entries:
            bind_form(self.spec.inline, entry.form, session, self.spec.plan)

    def blank_row(self, index: int) -> Any:
        """A new, empty row numbered `index`, as "Add" shows it."""
        entry = self.meta.bind_field(self._form, self.unbound_field, {
            "name": f"{self.name}-{index}", "id": f"{self.id}-{index}", "_meta": self.meta,
            "translations": self._translations})
        entry.process(None)
        entry.delete = False
        return entry

    def __call__(self, **kwargs: Any) -> Markup:
        return Markup(self.view.admin.templates.env.get_template(
            "partials/inline_rows.html").render(rows_context(self.view, self)))


def _first(formdata: Any, name: str) -> str:
    values = formdata.getlist(name) if name in formdata else []
    return str(values[0]) if values else ""


def rows_context(view: Any, field: InlineRows) -> dict[str, Any]:
    return {"view": view, "rows": field, "spec": field.spec,
            "add_url": inline_url(view, field.spec.key),
            "next_index": max((int(e.name.rsplit("-", 1)[-1]) for e in field.entries),
                              default=-1) + 1}


def inline_url(view: Any, key: str) -> str:
    return f"{view.url.rstrip('/')}/-inline/{key}"


def specs_for(view: Any) -> list[InlineSpec]:
    """The view's `inline_models`, resolved (a bad one is a `ConfigError` at start-up)."""
    out = []
    for entry in getattr(view, "inline_models", None) or ():
        inline = entry if isinstance(entry, InlineModel) else InlineModel(entry)
        out.append(InlineSpec(view, inline))
    keys = [s.key for s in out]
    if len(set(keys)) != len(keys):
        raise ConfigError(f"{type(view).__name__}.inline_models: a relationship is listed twice")
    return out


def inline_fields(view: Any) -> dict[str, Any]:
    """relationship key -> unbound `InlineRows` field, for `scaffold_form`."""
    return {spec.key: spec.field() for spec in specs_for(view)}


# -- the "Add" route -----------------------------------------------------------------------
def render_blank_row(view: CRUDView, request: Request, key: str, index: int) -> str:
    from wtforms.form import BaseForm

    unbound = getattr(view.form_plan(True).form_class, key, None)
    if getattr(unbound, "field_class", None) is not InlineRows:
        from .guard import NotFound

        raise NotFound(key)
    with view.session() as db:
        field = BaseForm([(key, unbound)])[key]  # this block alone, not the parent form
        field.process(None)
        entry = field.blank_row(index)
        from .forms import bind_form

        bind_form(field.spec.inline, entry.form, db, field.spec.plan)
        env = view.admin.templates.env
        ctx = rows_context(view, field)
        ctx.update(next_index=index + 1, oob=True)
        row = env.get_template("partials/inline_row.html").render(
            {**ctx, "entry": entry, "number": index + 1})
        button = env.get_template("partials/inline_add.html").render(ctx)
        return row + button


def register_inline_routes(view: CRUDView,
                           run: Callable[..., Any] | None = None) -> None:
    """``GET <view url>/-inline/<relationship>?index=N``: one blank row (HTML) plus the "Add"
    button for the next number (an out-of-band swap).  Put first on the view's router, so no
    ``/{id}`` route of the view shadows it; behind the view's own access check."""
    if not getattr(view, "inline_models", None):
        return
    from fastapi.concurrency import run_in_threadpool

    runner = run or run_in_threadpool

    async def blank_row(request: Request, relation: str) -> Response:
        from .guard import NotFound

        if not (view.can_create or view.can_edit):
            raise NotFound(relation)
        try:
            index = int(request.query_params.get("index", "0"))
        except ValueError:
            index = 0
        index = min(max(index, 0), MAX_ROWS - 1)
        html = await runner(render_blank_row, view, request, relation, index)
        return HTMLResponse(html)

    router = view.router
    router.add_api_route(view.url.rstrip("/") + "/-inline/{relation}", blank_row,
                         methods=["GET"], include_in_schema=False)
    router.routes.insert(0, router.routes.pop())

