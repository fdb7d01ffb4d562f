"""``flask_admin.contrib.sqla.ModelView``: a Flask-Admin model view over SQLAlchemy.

``ModelView(Model, session)`` where `session` is a Session, a scoped_session, a sessionmaker or
a Flask-SQLAlchemy ``db`` (2.x style).  Inside a request ``self.session`` is that request's own
session, so hooks that use it work on the rows being saved.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlalchemy import inspect as sa_inspect

from ..._context import SessionProxy
from ...actions import ActionsMixin
from ...model.base import BaseModelView


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

    # -- Flask-Admin's persistence methods (override to change how rows are saved) -----
    def create_model(self, form: Any) -> Any:
        """Default: the engine's save (this method is only called when overridden)."""
        raise NotImplementedError

    def update_model(self, form: Any, model: Any) -> bool:
        raise NotImplementedError

    def delete_model(self, model: Any) -> bool:
        raise NotImplementedError

    def get_empty_list_message(self) -> str:
        return "There are no items in the table."
