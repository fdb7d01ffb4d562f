"""Flask-Admin's form-class methods on the engine's form plans.

Flask-Admin builds a view's forms through overridable steps: ``form`` (a class of one's own) or
``scaffold_form()``, then ``get_form()``/``get_create_form()``/``get_edit_form()``, and at each
request ``create_form()``/``edit_form()`` instantiate them and ``validate_form()`` checks a
submission.  Code bases override these and call ``super()``.  The engine knows a form as a
`fasthx_core.forms.FormPlan` (the class plus what saving must know of its fields): this module
turns the class a view's Flask-Admin methods produce into such a plan, and instantiates forms
the way the engine does, so ``super().create_form(obj)`` and friends work.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from sqlalchemy import inspect as sa_inspect
from wtforms.fields.core import UnboundField

from fasthx_core.forms import FormPlan, bind_form, scaffold_form

# what the engine asked for while a Flask-Admin create_form/edit_form runs: (session, formdata)
pending_form: ContextVar[tuple[Any, Any] | None] = ContextVar("fasthx_compat_form",
                                                               default=None)

FORM_CLASS_METHODS = ("scaffold_form", "get_form", "get_create_form", "get_edit_form")


def fields_of(form_class: Any) -> dict[str, Any]:
    """name -> unbound field of a WTForms form class (inherited ones included)."""
    return {name: value for name in dir(form_class)
            if isinstance(value := getattr(form_class, name, None), UnboundField)}


def scaffolded(core: Any) -> Any:
    """A fresh engine-made form class of every form column (Flask-Admin's ``scaffold_form``:
    one class for both forms), remembered with the facts saving needs about its fields."""
    plan = scaffold_form(core, core.form_columns)
    plan.form_class._fx_plan = (plan, fields_of(plan.form_class))
    return plan.form_class


def plan_for(model: type, form_class: Any) -> FormPlan:
    """The engine's plan of a form class a Flask-Admin view produced.  Fields left as the
    engine made them keep what the engine knows of them (related rows, unique checks, choice
    loaders, column defaults); any other field that names a column or relation of the model
    is copied into the row, as ``form.populate_obj`` does; the rest are the view's own."""
    fields = fields_of(form_class)
    made, originals = getattr(form_class, "_fx_plan", (None, {}))
    kept = {name for name, unbound in fields.items() if originals.get(name) is unbound}
    mapper = sa_inspect(model)
    plan = FormPlan(form_class=form_class)
    for name in fields:
        (plan.model_fields if name in mapper.attrs else plan.virtual_fields).append(name)
    if made is not None:
        plan.related = {k: v for k, v in made.related.items() if k in kept}
        plan.unique_checks = [g for g in made.unique_checks if set(g) <= kept]
        plan.choice_loaders = {k: v for k, v in made.choice_loaders.items() if k in kept}
        plan.default_on_empty = {k for k in made.default_on_empty if k in kept}
    return plan


def uses_form_methods(fa: Any) -> bool:
    """Does the view choose its form class itself (``form`` or an override)?"""
    from .bridge import _overridden

    return fa.form is not None or any(_overridden(fa, name) for name in FORM_CLASS_METHODS)


def instantiate(fa: Any, form_class: Any, obj: Any) -> Any:
    """A form of `form_class` filled from what the engine asked for (or, called from a view's
    own code, from this request's POST), bound to the session as the engine binds its
    forms."""
    from .base import request_form

    core = fa.core
    pending = pending_form.get()
    if pending is None:
        form_data = request_form()
        db, formdata = fa.session, (form_data if len(form_data) else None)
    else:
        db, formdata = pending
    form = form_class(formdata, obj=obj)
    plan = core.form_plan(obj is None)
    bind_form(core, form, db, plan if plan.form_class is form_class else plan_for(
        fa.model, form_class))
    return form


def submitted_and_valid(form: Any) -> bool:
    """Flask-Admin's ``validate_form_on_submit``: a POST whose form validates (the form's own
    ``validate``, not the hook `guard_validation` puts in front of it)."""
    from ._context import current_request

    request = current_request.get()
    if request is not None and request.method not in ("POST", "PUT"):
        return False
    return bool(type(form).validate(form))


def guard_validation(fa: Any, form: Any) -> None:
    """Make the engine's ``form.validate()`` ask the view's ``validate_form(form)``.  A
    refusal without field errors marks the form, so the save is refused with the view's
    flashed reason (see `CompatCRUDView.save_model`)."""
    def validate(extra_validators: Any = None) -> bool:
        ok = bool(fa.validate_form(form))
        if not ok and not any(f.errors for f in form):
            form._fx_refused = True
        return ok

    form.validate = validate


__all__ = ["FORM_CLASS_METHODS", "fields_of", "guard_validation", "instantiate", "pending_form",
           "plan_for", "scaffolded", "submitted_and_valid", "uses_form_methods"]
