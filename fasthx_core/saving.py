"""Saving and deleting one row: validate, run the hooks, commit, or roll back and say why.

Nothing is half-saved: every failure (a WTForms error, a uniqueness clash, a
`ValidationError` from a hook, an IntegrityError from the database) rolls the session back and
re-renders the form with the user's input and the message.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm.exc import StaleDataError
from starlette.requests import Request

from . import concurrency, keys
from .errors import ValidationError
from .forms import unique_errors
from .guard import NotFound, is_htmx
from .rendering import form_context

if TYPE_CHECKING:
    from .view import CRUDView

log = logging.getLogger("fasthx_core.saving")


class FormValues(dict):
    """The hooks' ``form_data``: the form's typed values, with the WTForms form itself at
    ``.form`` for hooks that need more (errors, raw input, Flask-Admin-style hooks)."""

    def __init__(self, form: Any) -> None:
        super().__init__(form.data)
        self.form = form


def populate_and_commit(view: CRUDView, db: Any, form: Any, item: Any, is_new: bool,
                        request: Request | None, data: dict[str, Any]) -> Any:
    """The default save: copy the form into the row, run the hooks, commit."""
    plan = view.form_plan(is_new)
    with db.no_autoflush:
        for name in plan.model_fields:
            if name not in form:  # an inline cell edit saves a form of one field
                continue
            if is_new and form[name].data is None and name in plan.default_on_empty:
                continue
            form[name].populate_obj(item, name)
        view.validate(item, data, is_new)
        view.on_model_change(item, data, is_new, db, request)
        db.add(item)
    db.commit()
    return item


def save_failure(view: CRUDView, db: Any, exc: Exception) -> str:
    """Roll back a save that raised and say why, as the user is told it (a form, a list cell):
    a refusal's own message, a stale row, a conflicting or missing value, a database error,
    else the view's `save_error_message` (unexpected errors are logged)."""
    db.rollback()
    if isinstance(exc, ValidationError):
        return exc.message
    if isinstance(exc, StaleDataError):  # the version_id_col moved between our read and UPDATE
        return concurrency.STALE_MESSAGE
    if isinstance(exc, IntegrityError):
        log.info("integrity error saving %s: %s", view.name, exc.orig)
        return ("Could not save: a value conflicts with another row, or a required value is "
                "missing.")
    if isinstance(exc, SQLAlchemyError):
        log.exception("database error saving %s", view.name)
        return "Could not save because of a database error; nothing was changed."
    log.exception("error saving %s", view.name)  # a hook failed: keep the input, say so
    return view.save_error_message(exc)


@dataclass
class SaveOutcome:
    saved: bool
    item_id: str | None = None
    html: str = ""
    message: str = ""
    stale: bool = False  # refused because the row changed since the form was opened


class _FormData:
    """Starlette's FormData as WTForms wants it (``getlist``): text values only, except for
    the names of file fields (``file_fields``), which also get their uploads."""

    def __init__(self, formdata: Any, file_fields: set[str] | frozenset[str] = frozenset()
                 ) -> None:
        self._data = formdata
        self._files = file_fields

    def __contains__(self, key: str) -> bool:
        return key in self._data

    def __iter__(self) -> Any:
        return iter(self._data.keys())

    def __len__(self) -> int:
        return len(self._data)

    def getlist(self, key: str) -> list[Any]:
        if key in self._files:
            return [v for v in self._data.getlist(key) if not isinstance(v, str) or v]
        return [v for v in self._data.getlist(key) if isinstance(v, str)]


@functools.lru_cache(maxsize=512)
def file_field_names(form_class: Any) -> frozenset[str]:
    """Fields that accept uploads (WTForms ``FileField`` and subclasses), per form class."""
    from wtforms import FileField, MultipleFileField

    names = []
    for name in dir(form_class):
        field_class = getattr(getattr(form_class, name, None), "field_class", None)
        if isinstance(field_class, type) and issubclass(field_class,
                                                        FileField | MultipleFileField):
            names.append(name)
    return frozenset(names)


def save_form(view: CRUDView, request: Request, formdata: Any,
              ident: tuple[Any, ...] | None) -> SaveOutcome:
    is_new = ident is None
    with view.session() as db:
        if is_new:
            item = view.create_item()
        else:
            item = view.get_one(db, ident)
            if item is None:
                raise NotFound(ident)
        stale = None if is_new else concurrency.check(view, db, item, formdata)
        files = file_field_names(view.form_plan(is_new).form_class)
        form = view.build_form(db, _FormData(formdata, files), None if is_new else item)
        message = stale or view.invalid_form_message(is_new)
        if stale is None and form.validate():
            for name, text in unique_errors(view, form, db, item).items():
                form[name].errors = [*form[name].errors, text]
        if stale is None and not any(f.errors for f in form):
            data = FormValues(form)
            try:
                if not is_new:
                    concurrency.bump(view, item)
                item = view.save_model(db, form, item, is_new, request, data)
            except Exception as exc:
                message = save_failure(view, db, exc)
                if isinstance(exc, ValidationError):
                    for name, text in exc.field_errors.items():
                        if name in form:
                            form[name].errors = [*form[name].errors, text]
                elif isinstance(exc, StaleDataError):
                    stale = message
            else:
                item_id = keys.to_url(view.model, item)
                try:
                    view.after_model_change(item, data, is_new, db, request)
                except Exception:  # the row is saved; a failing follow-up must not hide that
                    log.exception("after_model_change failed for %s %s", view.name, item_id)
                return SaveOutcome(saved=True, item_id=item_id)
        item_id = None if is_new else keys.to_url(view.model, item)
        ctx = form_context(view, request, form, item_id, message)
        if not is_new:  # a refused edit keeps the version it was opened on
            ctx["row_version"] = concurrency.sent_version(formdata)
            ctx["stale"] = stale is not None
        htmx = is_htmx(request)
        template = "partials/form_body.html" if htmx else (
            view.create_template if is_new else view.edit_template)
        html = view.admin.templates.render(request, template, ctx)
        return SaveOutcome(saved=False, html=html, message=message, stale=stale is not None)


def delete_item(view: CRUDView, request: Request, ident: tuple[Any, ...]) -> tuple[bool, str]:
    with view.session() as db:
        item = view.get_one(db, ident)
        if item is None:
            raise NotFound(ident)
        label = str(item)
        try:
            view.delete_model(db, item)
        except ValidationError as exc:
            db.rollback()
            return False, exc.message
        except IntegrityError:
            db.rollback()
            return False, f"Cannot delete {label}: other rows still refer to it."
        except SQLAlchemyError:
            db.rollback()
            log.exception("database error deleting from %s", view.name)
            return False, "Could not delete because of a database error; nothing was changed."
        except Exception as exc:
            db.rollback()
            log.exception("error deleting from %s", view.name)
            return False, view.save_error_message(exc)
        try:
            view.after_model_delete(item, db)
        except Exception:
            log.exception("after_model_delete failed for %s", view.name)
        return True, f"{view.display_name_singular} {label} deleted."
