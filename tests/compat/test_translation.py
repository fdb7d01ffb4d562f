"""The translation table is the single source of Flask-Admin -> native names."""

from fasthx_core import CRUDView
from flask_admin_compat import translation
from flask_admin_compat.model.base import BaseModelView

# The ModelView attributes the compat face must accept (issue: flask_admin_compat).
FLASK_ADMIN_ATTRIBUTES = [
    "column_list", "column_exclude_list", "column_details_list", "column_details_exclude_list",
    "column_export_list", "column_export_exclude_list", "column_labels", "column_descriptions",
    "column_formatters", "column_formatters_detail", "column_formatters_export",
    "column_type_formatters", "column_searchable_list", "column_sortable_list",
    "column_default_sort", "column_filters", "column_choices", "column_display_pk",
    "column_display_all_relations", "column_editable_list", "column_extra_row_actions",
    "column_auto_select_related", "column_select_related_list", "form_columns",
    "form_excluded_columns", "form_args", "form_overrides", "form_widget_args", "form_choices",
    "form_extra_fields", "form_ajax_refs", "form_create_rules", "form_edit_rules", "form_rules",
    "form_base_class", "inline_models", "can_create", "can_edit", "can_delete",
    "can_view_details", "can_export", "can_set_page_size", "export_types", "export_max_rows",
    "page_size", "page_size_options", "create_modal", "edit_modal", "details_modal",
    "action_disallowed_list", "simple_list_pager", "list_template", "create_template",
    "edit_template", "details_template", "named_filter_urls",
]


def test_every_flask_admin_attribute_has_a_row():
    missing = [name for name in FLASK_ADMIN_ATTRIBUTES if name not in translation.BY_NAME]
    assert missing == []


def test_every_row_names_a_known_kind_and_an_existing_native_attribute():
    for row in translation.ROWS:
        assert row.kind in ("same", "rename", "convert", "look", "unsupported"), row
        if row.kind in ("same", "rename", "convert"):
            assert hasattr(CRUDView, row.native), row


def test_every_row_is_an_attribute_of_the_compat_base_view():
    for row in translation.ROWS:
        assert hasattr(BaseModelView, row.fa_name), row.fa_name


def test_renames_are_data():
    renames = translation.renames()
    assert "column_searchable_list" not in renames  # converted: attributes -> keys
    assert renames["column_exclude_list"] == "column_exclude"
    assert renames["details_template"] == "detail_template"
    assert renames["page_size"] == "page_size"


def test_hooks_point_at_core_hooks():
    for row in translation.HOOKS:
        assert hasattr(CRUDView, row.native), row
