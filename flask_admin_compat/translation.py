"""The one translation table: Flask-Admin's ModelView vocabulary -> fasthx_core's CRUDView.

Each row says what a Flask-Admin attribute becomes natively.  The runtime facade
(`flask_admin_compat.contrib.sqla.ModelView`) builds a CRUDView from it, and the codemod's
native mode renames attributes by it, so the two cannot disagree.  ``tests/compat`` walks it.

Kinds:
- ``same``:     the native attribute has the same name and meaning.
- ``rename``:   same meaning, another name (``native`` says which); the codemod renames it.
- ``convert``:  the value needs translating at run time (``native`` is the target); the
                codemod keeps such views on the compat base class unless a literal converter
                exists for the codemod as well.
- ``look``:     selects a look in Flask-Admin (modals, template modes); accepted and ignored,
                the Bootstrap 5 pages are used.
- ``unsupported``: accepted with one warning naming the attribute; no effect yet.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    fa_name: str
    kind: str
    native: str | None = None
    note: str = ""


ROWS: tuple[Row, ...] = (
    # -- list --------------------------------------------------------------------------
    Row("column_list", "convert", "column_list", "attribute objects and dotted names -> keys"),
    Row("column_exclude_list", "rename", "column_exclude"),
    Row("column_details_list", "rename", "detail_columns"),
    Row("column_details_exclude_list", "rename", "detail_columns_exclude"),
    Row("column_export_list", "same", "column_export_list"),
    Row("column_export_exclude_list", "convert", "column_export_list",
        "the export columns minus these"),
    Row("column_labels", "same", "column_labels"),
    Row("column_descriptions", "same", "column_descriptions"),
    Row("column_formatters", "convert", "column_formatters",
        "formatter(view, context, model, name) -> fn(value, obj)"),
    Row("column_formatters_detail", "convert", "column_formatters_detail",
        "formatter(view, context, model, name) -> fn(value, obj)"),
    Row("column_formatters_export", "convert", "column_formatters_export",
        "formatter(view, context, model, name) -> fn(value, obj)"),
    Row("column_type_formatters", "convert", "column_type_formatters",
        "fn(view, value[, name]) -> fn(value); None: typefmt.BASE_FORMATTERS"),
    Row("column_type_formatters_detail", "convert", "column_type_formatters_detail",
        "fn(view, value[, name]) -> fn(value); None: typefmt.DETAIL_FORMATTERS"),
    Row("column_type_formatters_export", "convert", "column_type_formatters_export",
        "fn(view, value[, name]) -> fn(value); None: typefmt.EXPORT_FORMATTERS"),
    Row("column_searchable_list", "convert", "column_searchable", "attributes -> keys"),
    Row("column_sortable_list", "convert", "column_sortable",
        "attributes and (name, path) pairs -> keys"),
    Row("column_default_sort", "convert", "column_default_sort",
        "'name', ('name', True) or a list of those (the rest break ties)"),
    Row("column_filters", "convert", "column_filters",
        "names, attributes and BaseSQLAFilter objects -> core filters"),
    Row("column_choices", "same", "column_choices"),
    Row("column_display_pk", "convert", "column_list", "adds the primary key to the default list"),
    Row("column_display_all_relations", "convert", "column_list",
        "adds to-many relations to the default list"),
    Row("column_editable_list", "same", "column_editable_list"),
    Row("column_extra_row_actions", "convert", "row_actions", "row action objects -> dicts"),
    Row("column_auto_select_related", "look", None,
        "relations shown are always eager-loaded by the engine"),
    Row("column_select_related_list", "look", None,
        "relations shown are always eager-loaded by the engine"),
    Row("list_row_actions", "convert", "row_actions", "row action objects -> dicts"),
    Row("page_size", "same", "page_size"),
    Row("page_size_options", "same", "page_size_options"),
    Row("can_set_page_size", "convert", "page_size_options",
        "Flask-Admin's default options (20, 50, 100) when no options are given"),
    Row("simple_list_pager", "convert", "count_mode", "True -> 'none' (no COUNT query)"),
    Row("named_filter_urls", "convert", "urls_class", "filters named in URLs, not numbered"),
    # -- forms -------------------------------------------------------------------------
    Row("form_columns", "same", "form_columns"),
    Row("form_excluded_columns", "same", "form_excluded_columns"),
    Row("form_args", "same", "form_args"),
    Row("form_overrides", "same", "form_overrides"),
    Row("form_widget_args", "convert", "form_widget_overrides", "render_kw per field"),
    Row("form_choices", "convert", "form_widget_overrides", "a select with these choices"),
    Row("form_extra_fields", "same", "form_extra_fields"),
    Row("form_ajax_refs", "convert", "form_ajax_refs", "dicts and QueryAjaxModelLoader objects"),
    Row("form_create_rules", "convert", "form_create_sections",
        "the fields they name -> form_create_columns; FieldSet -> sections"),
    Row("form_edit_rules", "convert", "form_edit_sections",
        "the fields they name -> form_edit_columns; FieldSet -> sections"),
    Row("form_rules", "convert", "form_create_sections",
        "both forms' columns and sections, where no create/edit rules are set"),
    Row("form_base_class", "same", "form_base_class"),
    Row("form_optional_types", "look", None, "nullability decides Optional"),
    Row("inline_models", "unsupported", None, "inline child forms"),
    # -- permissions and export ----------------------------------------------------------
    Row("can_create", "same", "can_create"),
    Row("can_edit", "same", "can_edit"),
    Row("can_delete", "same", "can_delete"),
    Row("can_view_details", "same", "can_view_details"),
    Row("can_export", "same", "can_export"),
    Row("export_types", "same", "export_types"),
    Row("export_max_rows", "same", "export_max_rows"),
    Row("action_disallowed_list", "convert", "is_action_allowed", "removes those actions"),
    # -- templates and looks ---------------------------------------------------------------
    Row("list_template", "same", "list_template"),
    Row("create_template", "same", "create_template"),
    Row("edit_template", "same", "edit_template"),
    Row("details_template", "rename", "detail_template"),
    Row("create_modal", "look", None, "forms open as pages"),
    Row("edit_modal", "look", None, "forms open as pages"),
    Row("details_modal", "look", None, "details open as pages"),
    Row("create_modal_template", "look", None, "forms open as pages"),
    Row("edit_modal_template", "look", None, "forms open as pages"),
    Row("details_modal_template", "look", None, "details open as pages"),
)

# Hooks: Flask-Admin method -> the core hook it is called from (signature in the note).
HOOKS: tuple[Row, ...] = (
    Row("on_model_change", "convert", "on_model_change",
        "(form, model, is_created) <- (item, form_data, is_new, db, request)"),
    Row("after_model_change", "convert", "after_model_change",
        "(form, model, is_created) <- (item, form_data, is_new, db, request)"),
    Row("on_model_delete", "convert", "on_model_delete", "(model) <- (item, db)"),
    Row("after_model_delete", "convert", "after_model_delete", "(model) <- (item, db)"),
    Row("on_form_prefill", "convert", "build_form", "(form, id) after an edit form is filled"),
    Row("create_form", "convert", "build_form", "(obj=None) for a create"),
    Row("edit_form", "convert", "build_form", "(obj) for an edit"),
    Row("scaffold_form", "convert", "build_form", "() -> form class"),
    Row("get_query", "convert", "get_query", "Query or Select -> Select"),
    Row("get_count_query", "convert", "get_count_query", "Query or Select -> Select"),
    Row("get_one", "convert", "get_one", "(id: str) -> (db, id_values)"),
    Row("create_model", "convert", "save_model", "(form) when is_new"),
    Row("update_model", "convert", "save_model", "(form, model) when editing"),
    Row("delete_model", "convert", "delete_model", "(model)"),
    Row("is_accessible", "convert", "is_accessible", "() <- (request, user)"),
    Row("is_action_allowed", "convert", "is_action_allowed", "(name) filters batch actions"),
    Row("handle_view_exception", "convert", "save_error_message",
        "(exc) -> True when handled (its flash is shown)"),
)

BY_NAME: dict[str, Row] = {r.fa_name: r for r in ROWS}
HOOKS_BY_NAME: dict[str, Row] = {r.fa_name: r for r in HOOKS}


def renames() -> dict[str, str]:
    """Flask-Admin attribute -> native attribute, for the rows a plain rename carries."""
    return {r.fa_name: r.native for r in ROWS if r.kind in ("same", "rename") and r.native}
