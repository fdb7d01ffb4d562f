"""Jinja2 templates of the admin: user folders first, then the built-ins.

Built-in templates live in ``fasthx_core/templates/fasthx/`` and can be named with or without
that prefix: ``list.html`` and ``fasthx/list.html`` are the same file unless a user folder
has its own ``list.html``, which then wins everywhere (built-ins extend ``base.html`` by its
bare name, so overriding it re-skins every page).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

BUILTIN_DIR = Path(__file__).parent / "templates"


def make_environment(extra_dirs: Iterable[str | Path] = (),
                     extra_loaders: Iterable[jinja2.BaseLoader] = ()) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader([str(d) for d in extra_dirs])]
    loaders.extend(extra_loaders)
    loaders.append(jinja2.FileSystemLoader(str(BUILTIN_DIR)))
    loaders.append(jinja2.FileSystemLoader(str(BUILTIN_DIR / "fasthx")))
    env = jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, auto_reload=False)
    from .filters import OP_LABELS
    from .forms import widget_kind

    env.globals.update(widget_kind=widget_kind, op_labels=OP_LABELS)
    return env


def render_template(template: jinja2.Template, context: dict[str, Any]) -> str:
    """``template.render(context)``, then the render's top-level variables dropped.

    A macro defined at a template's top level (or in a template it extends) refers to the
    render's context, which holds the macro: left alone, that cycle, and all the context
    reaches (the request, the page's rows, their session), waits for the garbage collector,
    whose runs then cost every request a share (compat's ``admin/model/list.html`` defines
    two macros).  Dropping the variables once the page is written frees it all at once."""
    ctx = template.new_context(context)
    try:
        return template.environment.concat(template.root_render_func(ctx))  # type: ignore[attr-defined]
    except Exception:
        return template.environment.handle_exception()
    finally:
        ctx.vars.clear()


class AdminTemplates(Jinja2Templates):
    """Jinja2Templates whose responses carry the admin's context.

    Every render gets ``current_user``, ``nav_categories``, ``active_page``, ``static_url``,
    ``admin_title``, ``csrf_token`` and pending toasts.  A template not in
    ``public_pages`` rendered for an anonymous user answers with a redirect to the login page.
    Both Starlette signatures are accepted: ``(request, name, context)`` and the older
    ``(name, {"request": request, ...})`` that Starlette 1.x removed.
    """

    def __init__(self, env: jinja2.Environment,
                 context_builder: Callable[[Request, dict[str, Any]], dict[str, Any]],
                 public_pages: set[str], login_url: Callable[[Request], str]) -> None:
        super().__init__(env=env)
        self._context_builder = context_builder
        self.public_pages = public_pages
        self._login_url = login_url

    def render(self, request: Request, name: str, context: dict[str, Any] | None = None) -> str:
        ctx = self._context_builder(request, dict(context or {}))
        return render_template(self.env.get_template(name), ctx)

    def TemplateResponse(self, *args: Any, **kwargs: Any) -> Response:  # noqa: N802
        if args and isinstance(args[0], str):  # legacy: (name, context, ...)
            name = args[0]
            context = dict(args[1] if len(args) > 1 else kwargs.pop("context", {}) or {})
            request = context.get("request")
            rest = args[2:]
        else:
            request = args[0] if args else kwargs.pop("request")
            name = args[1] if len(args) > 1 else kwargs.pop("name")
            context = dict(args[2] if len(args) > 2 else kwargs.pop("context", {}) or {})
            rest = args[3:]
        if request is None:
            raise ValueError("TemplateResponse needs the request")
        status_code = rest[0] if rest else kwargs.pop("status_code", 200)
        headers = rest[1] if len(rest) > 1 else kwargs.pop("headers", None)
        ctx = self._context_builder(request, context)
        if name not in self.public_pages and ctx.get("current_user") is None:
            return RedirectResponse(self._login_url(request), status_code=303)
        html = render_template(self.env.get_template(name), ctx)
        return HTMLResponse(html, status_code=status_code, headers=headers)
