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


def test_module_paths_mirror_flask_admin():
    import importlib

    for path, names in {
        "flask_admin_compat": ["Admin", "BaseView", "AdminIndexView", "expose"],
        "flask_admin_compat.contrib.sqla": ["ModelView"],
        "flask_admin_compat.contrib.sqlamodel": ["ModelView"],
        "flask_admin_compat.contrib.sqla.filters": ["FilterEqual", "FilterLike",
                                                    "BooleanEqualFilter", "DateBetweenFilter",
                                                    "FilterInList", "FilterEmpty",
                                                    "BaseSQLAFilter"],
        "flask_admin_compat.contrib.sqla.validators": ["Unique"],
        "flask_admin_compat.model": ["BaseModelView", "InlineFormAdmin"],
        "flask_admin_compat.model.template": ["EndpointLinkRowAction", "LinkRowAction"],
        "flask_admin_compat.form": ["SecureForm", "BaseForm", "Select2Field", "rules"],
        "flask_admin_compat.form.rules": ["FieldSet", "Field", "Header", "HTML", "Text"],
        "flask_admin_compat.actions": ["action"],
        "flask_admin_compat.babel": ["gettext", "ngettext", "lazy_gettext"],
        "flask_admin_compat.menu": ["MenuLink"],
        "flask_admin_compat.helpers": ["get_url", "get_redirect_target", "flash"],
        "flask_admin_compat.theme": ["Bootstrap4Theme"],
        "flask_admin_compat.consts": ["ICON_TYPE_GLYPH"],
    }.items():
        module = importlib.import_module(path)
        for name in names:
            assert hasattr(module, name), f"{path}.{name}"


def test_other_backends_say_they_are_not_provided():
    import importlib

    import pytest

    for backend in ("peewee", "mongoengine", "pymongo", "geoa", "rediscli"):
        with pytest.raises(ImportError, match="only the SQLAlchemy"):
            importlib.import_module(f"flask_admin_compat.contrib.{backend}")


def test_compat_never_imports_flask_admin():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "flask_admin_compat"
    import ast

    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(n == "flask_admin" or n.startswith("flask_admin.") for n in names), \
                path
