"""``flask_admin.contrib.sqla.ModelView``: a Flask-Admin model view over SQLAlchemy.

``ModelView(Model, session)`` where `session` is a Session, a scoped_session, a sessionmaker or
a Flask-SQLAlchemy ``db`` (2.x style).  Inside a request ``self.session`` is that request's own
session, so hooks that use it work on the rows being saved.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import func
from sqlalchemy import inspect as sa_inspect

from ..._context import SessionProxy, loaded_list
from ...actions import ActionsMixin
from ...model.base import BaseModelView

log = logging.getLogger("flask_admin_compat.sqla")


class ModelView(BaseModelView, ActionsMixin):
    def __init__(self, model: Any, session: Any, name: str | None = None,
                 category: str | None = None, endpoint: str | None = None,
                 url: str | None = None, static_folder: str | None = None,
                 menu_class_name: str | None = None, menu_icon_type: str | None = None,
                 menu_icon_value: str | None = None) -> None:
        self._session_source = session
        self.session = SessionProxy(getattr(session, "session", session)
                                    if hasattr(session, "Model") else session)
        super().__init__(model, name, category, endpoint, url, static_folder,
                         menu_class_name=menu_class_name, menu_icon_type=menu_icon_type,
                         menu_icon_value=menu_icon_value)

    # -- Flask-Admin's query methods (override to scope the view) --------------------------
    def get_query(self) -> Any:
        return self.session.query(self.model)

    def get_count_query(self) -> Any:
        return self.session.query(func.count("*")).select_from(self.model)

    def get_list(self, page: int, sort_column: str | None, sort_desc: bool, search: str,
                 filters: list[Any], execute: bool = True, page_size: int | None = None
                 ) -> tuple[int | None, list[Any]]:
        """``(count, rows)`` of the list page being shown.  The engine runs the list query
        (its search, filters, sort and paging); an override gets its result from
        ``super().get_list(...)`` and may change the rows (or return others) before they
        are shown."""
        loaded = loaded_list.get()
        if loaded is None:
            raise RuntimeError(f"{type(self).__name__}.get_list() is called by the list page "
                               "(override it and call super() there)")
        return loaded

    def get_one(self, id: str) -> Any:
        from fasthx_core import keys

        try:
            ident = keys.from_url(self.model, id)
        except keys.BadKey:
            return None
        return self.session.get(self.model, ident if len(ident) > 1 else ident[0])

    def get_pk_value(self, model: Any) -> Any:
        ident = sa_inspect(model).identity
        return ident[0] if ident and len(ident) == 1 else ident

    def scaffold_form(self) -> Any:
        """A new form class of the view's form columns, made by the engine (add fields to it
        in an override, as in Flask-Admin)."""
        from ...form_classes import scaffolded

        return scaffolded(self.core)

    # -- Flask-Admin's persistence methods (override to change how rows are saved) -----
    # Without an override the engine saves by itself (same steps, its own error messages);
    # these bodies serve overrides that call ``super()``, with Flask-Admin's contract: the
    # hooks run, errors are rolled back and flashed, and the result says whether it worked.
    def build_new_instance(self) -> Any:
        return self.model()

    def create_model(self, form: Any) -> Any:
        """Create a row from `form`: the new model, or False (the reason is flashed)."""
        model = self.build_new_instance()
        return model if self._save(form, model, True) else False

    def update_model(self, form: Any, model: Any) -> bool:
        """Copy `form` into `model` and commit: True, or False (the reason is flashed)."""
        return self._save(form, model, False)

    def delete_model(self, model: Any) -> bool:
        """Delete `model` with its hooks: True, or False (the reason is flashed)."""
        try:
            self.on_model_delete(model)
            self.session.flush()
            self.session.delete(model)
            self.session.commit()
        except Exception as exc:
            self._failed("Failed to delete record.", exc)
            return False
        self.after_model_delete(model)
        return True

    def _save(self, form: Any, model: Any, is_created: bool) -> bool:
        from fasthx_core.saving import FormValues, populate_and_commit

        from ..._context import current_request

        try:
            populate_and_commit(self.core, self.session, form, model, is_created,
                                current_request.get(), FormValues(form))
        except Exception as exc:
            self._failed("Failed to create record." if is_created else
                         "Failed to update record.", exc)
            return False
        self.after_model_change(form, model, is_created)
        return True

    def _failed(self, what: str, exc: Exception) -> None:
        from fasthx_core import ValidationError as EngineValidationError

        from ...helpers import flash

        self.session.rollback()
        if isinstance(exc, EngineValidationError):
            flash(exc.message, "error")
        elif not self.handle_view_exception(exc):
            flash(f"{what} {exc}", "error")
            log.exception(what)

    def get_empty_list_message(self) -> str:
        return "There are no items in the table."
