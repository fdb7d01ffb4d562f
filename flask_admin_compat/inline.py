"""Flask-Admin's ``inline_models`` -> the engine's `fasthx_core.InlineModel`s.

An entry may be a model class, a ``(Model, {options})`` tuple, an `InlineFormAdmin` (instance
or subclass instance) or any object with a ``model`` attribute (its public attributes are the
options), as Flask-Admin accepts.  The relationship is found as Flask-Admin finds it: for each
many-to-one of the child to the parent, the parent's first one-to-many to the child.  The row
form has Flask-Admin's default fields (columns but keys and foreign keys, and relationships, in
mapper order, minus the one back to the parent) unless ``form_columns`` says otherwise; posted
names are Flask-Admin's (``<relationship>-<n>-<field>``, ``del-<relationship>-<n>``).
"""

from __future__ import annotations

import warnings
from types import SimpleNamespace
from typing import Any

from sqlalchemy import inspect as sa_inspect

from fasthx_core.inline import InlineModel

from .model.form import InlineFormAdmin


def info_of(entry: Any) -> InlineFormAdmin:
    """One ``inline_models`` entry -> its `InlineFormAdmin` (Flask-Admin's ``get_info``)."""
    if isinstance(entry, tuple):
        return InlineFormAdmin(entry[0], **entry[1])
    if isinstance(entry, InlineFormAdmin):
        return entry
    if hasattr(entry, "_sa_class_manager"):
        return InlineFormAdmin(entry)
    model = getattr(entry, "model", None)
    if model is None:
        raise TypeError(f"Unknown inline model admin: {entry!r}")
    options = {a: getattr(entry, a) for a in dir(entry)
               if not a.startswith("_") and a != "model"}
    return InlineFormAdmin(model, **options)


def relationship_pairs(parent: type, child: type) -> list[tuple[str, str]]:
    """(parent's one-to-many key, child's many-to-one key back) pairs, Flask-Admin's way."""
    child_base = sa_inspect(child).base_mapper
    pairs: list[tuple[str, str]] = []
    for back in child_base.relationships:
        if back.direction.name != "MANYTOONE" or not issubclass(parent, back.mapper.class_):
            continue
        for rel in sa_inspect(parent).relationships:
            if rel.direction.name == "ONETOMANY" and rel.key not in dict(pairs) \
                    and issubclass(child_base.class_, rel.mapper.class_):
                pairs.append((rel.key, back.key))
                break
    return pairs


def _default_columns(child: type, back_key: str, excluded: set[str]) -> list[str]:
    from .bridge import fa_default_form

    return [k for k in fa_default_form(SimpleNamespace(model=child))
            if k != back_key and k not in excluded]


def to_native(fa: Any, entry: Any) -> list[InlineModel]:
    """The native inline models of one ``inline_models`` entry (one per relationship)."""
    from .bridge import _widget_overrides, attr_key

    info = info_of(entry)
    child = info.model
    pairs = relationship_pairs(fa.model, child)
    if not pairs:
        warnings.warn(f"{type(fa).__name__}.inline_models: no one-to-many relationship from "
                      f"{fa.model.__name__} to {child.__name__}; the entry has no effect",
                      stacklevel=4)
    excluded = {attr_key(child, c) for c in (info.form_excluded_columns or ())}
    overrides = _widget_overrides(SimpleNamespace(
        form_widget_args=getattr(info, "form_widget_args", None),
        form_choices=getattr(info, "form_choices", None)))
    mapper = sa_inspect(child)
    pk_keys = {mapper.get_property_by_column(c).key for c in mapper.primary_key}
    out = []
    for key, back in pairs:
        # a key named in form_columns is Flask-Admin's hidden row key: the engine adds it
        columns = ([attr_key(child, c) for c in info.form_columns
                    if attr_key(child, c) not in pk_keys]
                   if info.form_columns else _default_columns(child, back, excluded))
        native = _CompatInline(
            child, relationship=key, form_columns=columns,
            label=getattr(info, "form_label", None) or (fa.column_labels or {}).get(key)
            or key.replace("_", " ").title(),
            form_args=dict(info.form_args or {}),
            form_extra_fields=dict(info.form_extra_fields or {}),
            form_overrides=dict(getattr(info, "form_overrides", None) or {}),
            form_widget_overrides=overrides, form_base_class=info.form_base_class,
            form_class=info.get_form())
        native.info = info
        out.append(native)
    return out


def inline_models(fa: Any) -> list[InlineModel]:
    return [n for entry in (fa.inline_models or ()) for n in to_native(fa, entry)]


class _CompatInline(InlineModel):
    """A native inline model whose hooks are the `InlineFormAdmin`'s."""

    info: Any = None

    def on_model_change(self, form: Any, child: Any, is_new: bool) -> None:
        self.info.on_model_change(form, child, is_new)

    def postprocess_form(self, form_class: type) -> type:
        return self.info.postprocess_form(form_class) if self.info else form_class
