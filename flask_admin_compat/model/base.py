"""Flask-Admin's ``BaseModelView``: the attribute vocabulary and overridable methods.

The class only holds configuration and Flask-Admin-shaped hooks; the CRUD work is done by
the fasthx_core engine, to which `flask_admin_compat.bridge` translates this view.
"""

from __future__ import annotations

import logging
from typing import Any

from ..base import BaseView
from ..helpers import prettify_class_name

log = logging.getLogger("flask_admin_compat")


def _engine_page(name: str) -> Any:
    """Flask-Admin's view method `name`, answered by the engine's handler for this request
    (see `flask_admin_compat.model_routes.engine_view`)."""
    def view(self: Any) -> Any:
        from ..model_routes import engine_view

        return engine_view(self, name)

    view.__name__ = view.__qualname__ = name
    return view


class BaseModelView(BaseView):
    # Flask-Admin's defaults (they differ from the native CRUDView's on purpose)
    can_create = True
    can_edit = True
    can_delete = True
    can_view_details = False
    can_export = False
    can_set_page_size = False

    list_template = "admin/model/list.html"
    edit_template = "admin/model/edit.html"
    create_template = "admin/model/create.html"
    details_template = "admin/model/details.html"
    edit_modal_template = "admin/model/modals/edit.html"
    create_modal_template = "admin/model/modals/create.html"
    details_modal_template = "admin/model/modals/details.html"

    create_modal = False
    edit_modal = False
    details_modal = False

    column_list: Any = None
    column_exclude_list: Any = None
    column_details_list: Any = None
    column_details_exclude_list: Any = None
    column_export_list: Any = None
    column_export_exclude_list: Any = None
    column_formatters: Any = None
    column_formatters_detail: Any = None
    column_formatters_export: Any = None
    column_type_formatters: Any = None
    column_type_formatters_detail: Any = None
    column_type_formatters_export: Any = None
    column_labels: Any = None
    column_descriptions: Any = None
    column_sortable_list: Any = None
    column_default_sort: Any = None
    column_searchable_list: Any = None
    column_editable_list: Any = None
    column_choices: Any = None
    column_filters: Any = None
    named_filter_urls = False
    column_display_actions = True
    column_extra_row_actions: Any = None
    column_display_pk = False
    column_display_all_relations = False
    column_auto_select_related = True
    column_select_related_list: Any = None

    form: Any = None
    form_base_class: Any = None
    form_args: Any = None
    form_columns: Any = None
    form_excluded_columns: Any = None
    form_overrides: Any = None
    form_widget_args: Any = None
    form_choices: Any = None
    form_extra_fields: Any = None
    form_ajax_refs: Any = None
    form_rules: Any = None
    form_edit_rules: Any = None
    form_create_rules: Any = None
    form_optional_types: Any = None
    inline_models: Any = None

    action_disallowed_list: Any = ()
    page_size = 20
    page_size_options = (20, 50, 100)
    simple_list_pager = False
    export_max_rows = 0
    export_types = ["csv"]
    list_row_actions: Any = None

    def __init__(self, model: Any, name: str | None = None, category: str | None = None,
                 endpoint: str | None = None, url: str | None = None,
                 static_folder: str | None = None, menu_class_name: str | None = None,
                 menu_icon_type: str | None = None, menu_icon_value: str | None = None) -> None:
        self.model = model
        super().__init__(name or prettify_class_name(model.__name__), category,
                         endpoint or model.__name__.lower(), url, static_folder,
                         menu_class_name=menu_class_name, menu_icon_type=menu_icon_type,
                         menu_icon_value=menu_icon_value)
        self.core: Any = None

    # -- hooks (Flask-Admin signatures) ------------------------------------------------
    def on_model_change(self, form: Any, model: Any, is_created: bool) -> None:
        pass

    def after_model_change(self, form: Any, model: Any, is_created: bool) -> None:
        pass

    def on_model_delete(self, model: Any) -> None:
        pass

    def after_model_delete(self, model: Any) -> None:
        pass

    def on_form_prefill(self, form: Any, id: Any) -> None:
        pass

    # -- forms (override and call super() as in Flask-Admin; see `form_classes`) ----------
    def get_form(self) -> Any:
        """The form class: `form` when set, else `scaffold_form()`."""
        return self.form if self.form is not None else self.scaffold_form()

    def get_create_form(self) -> Any:
        return self.get_form()

    def get_edit_form(self) -> Any:
        return self.get_form()

    def create_form(self, obj: Any = None) -> Any:
        """The create form, filled from the request's POST (empty on a GET)."""
        from ..form_classes import instantiate

        return instantiate(self, self.core.form_plan(True).form_class, obj)

    def edit_form(self, obj: Any = None) -> Any:
        """The edit form of `obj`, filled from the request's POST (from `obj` on a GET)."""
        from ..form_classes import instantiate

        return instantiate(self, self.core.form_plan(False).form_class, obj)

    def validate_form(self, form: Any) -> bool:
        """Is `form` a submission that validates?  (False on a GET, as in Flask-Admin.)"""
        from ..form_classes import submitted_and_valid

        return submitted_and_valid(form)

    def get_save_return_url(self, model: Any, is_created: bool = False) -> str:
        """Where the plain save button leads: the request's return URL, else the list."""
        from ..helpers import get_redirect_target

        return get_redirect_target() or self.get_url(".index_view")

    # -- Flask-Admin's views (an ``@expose``d override may return ``super().index_view()``)
    index_view = _engine_page("index_view")
    create_view = _engine_page("create_view")
    edit_view = _engine_page("edit_view")
    details_view = _engine_page("details_view")
    delete_view = _engine_page("delete_view")
    action_view = _engine_page("action_view")

    # -- cell values (used when a view overrides one of them) ----------------------------
    def _get_list_value(self, context: Any, model: Any, name: str, column_formatters: Any,
                        column_type_formatters: Any) -> Any:
        from .values import list_value

        return list_value(self, context, model, name, column_formatters,
                          column_type_formatters)

    def get_list_value(self, context: Any, model: Any, name: str) -> Any:
        from . import typefmt

        return self._get_list_value(context, model, name, self.column_formatters,
                                    self.column_type_formatters or typefmt.BASE_FORMATTERS)

    def get_detail_value(self, context: Any, model: Any, name: str) -> Any:
        from . import typefmt

        return self._get_list_value(
            context, model, name, self.column_formatters_detail or self.column_formatters,
            self.column_type_formatters_detail or typefmt.DETAIL_FORMATTERS)

    def get_export_value(self, model: Any, name: str) -> Any:
        from . import typefmt

        return self._get_list_value(None, model, name, self.column_formatters_export,
                                    self.column_type_formatters_export
                                    or typefmt.EXPORT_FORMATTERS)

    def is_action_allowed(self, name: str) -> bool:
        return name not in (self.action_disallowed_list or ())

    def handle_view_exception(self, exc: Exception) -> bool:
        """Return True when the error was reported (e.g. flashed); else it is re-raised."""
        from wtforms.validators import ValidationError

        if isinstance(exc, ValidationError):
            from ..helpers import flash

            flash(str(exc), "error")
            return True
        return False

    # -- registration ------------------------------------------------------------------
    def _register(self, admin: Any) -> None:
        from ..bridge import register_model_view

        self.admin = admin
        self.url = self._resolve_url(admin)
        register_model_view(self, admin)
        self._add_exposed_routes(admin)  # the view's own @expose routes

    def _build_url(self, method: str, values: dict[str, Any]) -> str | None:
        from ..model_urls import build_model_url

        return build_model_url(self, method, values)
