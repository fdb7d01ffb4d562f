"""``flask_admin.contrib.sqla.validators.Unique``: a real WTForms validator."""

from __future__ import annotations

from typing import Any

from wtforms.validators import ValidationError


class Unique:
    """Refuse a value that another row already has in `column`."""

    field_flags = {"unique": True}

    def __init__(self, db_session: Any, model: Any, column: Any,
                 message: str = "Already exists.") -> None:
        self.db_session, self.model, self.column, self.message = db_session, model, column, message

    def __call__(self, form: Any, field: Any) -> None:
        if field.data is None or field.data == "":
            return
        from sqlalchemy import inspect as sa_inspect
        from sqlalchemy import select

        obj = getattr(form, "_obj", None)
        stmt = select(self.model).where(self.column == field.data)
        found = self.db_session.scalars(stmt.limit(2)).all()
        if not found:
            return
        if obj is not None and len(found) == 1 and \
                sa_inspect(found[0]).identity == sa_inspect(obj).identity:
            return
        raise ValidationError(self.message)
