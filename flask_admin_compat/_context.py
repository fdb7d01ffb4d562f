"""The current request and database session of the compat layer, as context variables.

Flask-Admin code reads ``flask.request`` and ``self.session`` from anywhere; on the FastAPI host
there is no Flask, so the compat routes publish the Starlette request and the request's session
here, and `SessionProxy` makes ``view.session`` mean "this request's session".
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from starlette.requests import Request

current_request: ContextVar[Request | None] = ContextVar("fasthx_compat_request", default=None)
current_session: ContextVar[Any] = ContextVar("fasthx_compat_session", default=None)
# the list page the engine loaded, while a view's ``get_list`` override runs: what its
# ``super().get_list(...)`` returns, ``(count, rows)``
loaded_list: ContextVar[tuple[int | None, list[Any]] | None] = ContextVar(
    "fasthx_compat_loaded_list", default=None)


def get_request() -> Request | None:
    """The request being served (None outside a request)."""
    return current_request.get()


class SessionProxy:
    """Stands in for the session a ModelView was given: inside a request it is that request's
    session (one per request, closed at its end); outside it is the original object."""

    def __init__(self, original: Any) -> None:
        object.__setattr__(self, "_original", original)

    def _target(self) -> Any:
        session = current_session.get()
        return session if session is not None else self._original

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._target(), name, value)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:  # scoped_session() / sessionmaker()
        session = current_session.get()
        return session if session is not None else self._original(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<SessionProxy for {self._original!r}>"
