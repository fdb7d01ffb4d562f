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
- ``look``:     selects a look in Flask-Admin (template modes); accepted and ignored,
                the Bootstrap 5 pages are used.
- ``unsupported``: accepted with one warning naming the attribute; no effect yet.

For the codemod (``fasthx-migrate native``) a ``convert`` row may name a ``literal`` shape: when
the class sets the attribute to a literal of that shape, the codemod writes the native
attribute itself (see `migration_tool.rules.fxm101_native_class`):
- ``names``:        a tuple/list of string literals, carried as is
- ``sortable``:     strings and ``(name, path)`` string pairs, carried as is
- ``default_sort``: ``'name'``, ``('name', True/False)`` or a list of those, carried as is
- ``widget_args``:  ``{field: {...}}``, merged into ``form_widget_overrides``
- ``choices``:      ``{field: choices}``, merged into ``form_widget_overrides`` as a select
- ``rules``:        field names, ``rules.Field(name)`` and ``rules.FieldSet((names), header)``
                    -> ``form_*_columns`` and ``form_*_sections``
- ``formatters``:   ``{column: f}`` where ``f`` is a module-level ``f(view, context, model,
                    name)`` that reads neither view nor context -> ``lambda value, obj: ...``
Hook rows carry the native signature (``params``) and, per Flask-Admin parameter in order,
the native parameter that receives it (``carry``; ``-``: none, so the body must not read it).
`FA_DEFAULTS` lists where Flask-Admin's default differs from the native one: a converted view
states Flask-Admin's value, so it behaves as before.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    fa_name: str
    kind: str
    native: str | None = None
    note: str = ""
    literal: str = ""  # the codemod's literal converter for a 'convert' row (see above)
    params: str = ""  # hooks: the native parameters after self
    carry: str = ""  # hooks: native parameter per Flask-Admin parameter ('-': not passed)


ROWS: tuple[Row, ...] = (
    # -- list --------------------------------------------------------------------------
    Row("column_list", "convert", "column_list", "attribute objects and dotted names -> keys",
        literal="names"),
    Row("column_exclude_list", "rename", "column_exclude"),
    Row("column_details_list", "rename", "detail_columns"),
    Row("column_details_exclude_list", "rename", "detail_columns_exclude"),
    Row("column_export_list", "same", "column_export_list"),
    Row("column_export_exclude_list", "convert", "column_export_list",
        "the export columns minus these"),
    Row("column_labels", "same", "column_labels"),
    Row("column_descriptions", "same", "column_descriptions"),
    Row("column_formatters", "convert", "column_formatters",
        "formatter(view, context, model, name) -> fn(value, obj)", literal="formatters"),
    Row("column_formatters_detail", "convert", "column_formatters_detail",
        "formatter(view, context, model, name) -> fn(value, obj)", literal="formatters"),
    Row("column_formatters_export", "convert", "column_formatters_export",
        "formatter(view, context, model, name) -> fn(value, obj)", literal="formatters"),
    Row("column_type_formatters", "convert", "column_type_formatters",
        "fn(view, value[, name]) -> fn(value); None: typefmt.BASE_FORMATTERS"),
    Row("column_type_formatters_detail", "convert", "column_type_formatters_detail",
        "fn(view, value[, name]) -> fn(value); None: typefmt.DETAIL_FORMATTERS"),
    Row("column_type_formatters_export", "convert", "column_type_formatters_export",
        "fn(view, value[, name]) -> fn(value); None: typefmt.EXPORT_FORMATTERS"),
    Row("column_searchable_list", "convert", "column_searchable", "attributes -> keys",
        literal="names"),
    Row("column_sortable_list", "convert", "column_sortable",
        "attributes and (name, path) pairs -> keys", literal="sortable"),
    Row("column_default_sort", "convert", "column_default_sort",
        "'name', ('name', True) or a list of those (the rest break ties)",
        literal="default_sort"),
    Row("column_filters", "convert", "column_filters",
        "names, attributes and BaseSQLAFilter objects -> core filters", literal="names"),
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
    Row("form_widget_args", "convert", "form_widget_overrides", "render_kw per field",
        literal="widget_args"),
    Row("form_choices", "convert", "form_widget_overrides", "a select with these choices",
        literal="choices"),
    Row("form_extra_fields", "same", "form_extra_fields"),
    Row("form_ajax_refs", "convert", "form_ajax_refs", "dicts and QueryAjaxModelLoader objects"),
    Row("form_create_rules", "convert", "form_create_sections",
        "the fields they name -> form_create_columns; FieldSet -> sections", literal="rules"),
    Row("form_edit_rules", "convert", "form_edit_sections",
        "the fields they name -> form_edit_columns; FieldSet -> sections", literal="rules"),
    Row("form_rules", "convert", "form_create_sections",
        "both forms' columns and sections, where no create/edit rules are set",
        literal="rules"),
    Row("form_base_class", "same", "form_base_class"),
    Row("form_optional_types", "look", None, "nullability decides Optional"),
    Row("inline_models", "convert", "inline_models",
        "models, (Model, options) tuples and InlineFormAdmin -> InlineModel"),
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
    Row("create_modal", "same", "create_modal"),
    Row("edit_modal", "same", "edit_modal"),
    Row("details_modal", "rename", "detail_modal"),
    Row("create_modal_template", "same", "create_modal_template"),
    Row("edit_modal_template", "same", "edit_modal_template"),
    Row("details_modal_template", "rename", "detail_modal_template"),
)

# Hooks: Flask-Admin method -> the core hook it is called from (signature in the note).
HOOKS: tuple[Row, ...] = (
    Row("on_model_change", "convert", "on_model_change",
        "(form, model, is_created) <- (item, form_data, is_new, db, request)",
        params="item, form_data, is_new, db, request=None", carry="-, item, is_new"),
    Row("after_model_change", "convert", "after_model_change",
        "(form, model, is_created) <- (item, form_data, is_new, db, request)",
        params="item, form_data, is_new, db, request=None", carry="-, item, is_new"),
    Row("on_model_delete", "convert", "on_model_delete", "(model) <- (item, db)",
        params="item, db", carry="item"),
    Row("after_model_delete", "convert", "after_model_delete", "(model) <- (item, db)",
        params="item, db", carry="item"),
    Row("on_form_prefill", "convert", "build_form", "(form, id) after an edit form is filled"),
    Row("create_form", "convert", "build_form", "(obj=None) for a create"),
    Row("edit_form", "convert", "build_form", "(obj) for an edit"),
    Row("scaffold_form", "convert", "build_form", "() -> form class"),
    Row("get_query", "convert", "get_query", "Query or Select -> Select", params="db"),
    Row("get_count_query", "convert", "get_count_query", "Query or Select -> Select",
        params="db"),
    Row("get_one", "convert", "get_one", "(id: str) -> (db, id_values)"),
    Row("create_model", "convert", "save_model", "(form) when is_new"),
    Row("update_model", "convert", "save_model", "(form, model) when editing"),
    Row("delete_model", "convert", "delete_model", "(model)"),
    Row("is_accessible", "convert", "is_accessible", "() <- (request, user)",
        params="request, user"),
    Row("is_action_allowed", "convert", "is_action_allowed", "(name) filters batch actions"),
    Row("handle_view_exception", "convert", "save_error_message",
        "(exc) -> True when handled (its flash is shown)"),
)

# Flask-Admin defaults that differ from CRUDView's: (native attribute, Flask-Admin's value as
# Python source, the Flask-Admin attribute that sets it).  The codemod writes these into a
# converted class that does not set the attribute, so the view behaves as it did.
FA_DEFAULTS: tuple[tuple[str, str, str], ...] = (
    ("can_view_details", "False", "can_view_details"),
    ("can_export", "False", "can_export"),
    ("column_searchable", "()", "column_searchable_list"),  # no search box unless asked for
    ("newest_first", "False", "column_default_sort"),  # unsorted lists in key order
    ("login_required", "False", ""),  # no login of its own: is_accessible() alone decides
)

BY_NAME: dict[str, Row] = {r.fa_name: r for r in ROWS}
HOOKS_BY_NAME: dict[str, Row] = {r.fa_name: r for r in HOOKS}


def renames() -> dict[str, str]:
    """Flask-Admin attribute -> native attribute, for the rows a plain rename carries."""
    return {r.fa_name: r.native for r in ROWS if r.kind in ("same", "rename") and r.native}
