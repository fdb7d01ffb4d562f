"""Find the Jinja macro a ``rules.Macro`` / ``rules.Container`` names, as Flask-Admin does.

Flask-Admin resolves ``"prefix.macro"`` in the template that renders the form: ``lib`` is
``admin/lib.html`` (imported by its form templates), any other prefix is a module the user's
template imports (``{% import 'my_macros.html' as prefix %}``).  Here the same names resolve
against the view's ``create_template`` / ``edit_template`` sources: ``lib`` is the compat
``admin/lib.html``; another prefix is looked up among the ``import ... as prefix`` lines of
those templates.  Macros are imported with the view's template context (``_gettext``, ``h``,
``get_url``, ``csrf_token``, ...), like ``import ... with context``.  That context, the import
lines and the imported modules are built once per request and view (`_Scope`), not once per
rule or field: a form with many rules renders like Flask-Admin's, whose form template imports
``lib`` once per render.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

_IMPORT = re.compile(r"""\{%-?\s*import\s+["']([^"']+)["']\s+as\s+(\w+)""")
LIB_TEMPLATE = "admin/lib.html"


class MacroNotFound(LookupError):
    pass


def _request_view() -> tuple[Any, Any]:
    from .._context import current_request
    from ..base import current_view

    return current_view.get(), current_request.get()


def _imports(env: Any, fa: Any) -> dict[str, str]:
    """prefix -> template name, from the ``import ... as prefix`` lines of the view's form
    templates (and ``lib`` -> ``admin/lib.html``)."""
    found = {"lib": LIB_TEMPLATE}
    for name in (getattr(fa, "create_template", None), getattr(fa, "edit_template", None)):
        if not name:
            continue
        try:
            source = env.loader.get_source(env, name)[0]
        except Exception:  # a template that does not exist: nothing imported
            continue
        for template, prefix in _IMPORT.findall(source):
            found.setdefault(prefix, template)
    return found


def _context(fa: Any, request: Any) -> dict[str, Any]:
    core = fa.admin.core
    ctx = core.templates._context_builder(request, {}) if request is not None else {}
    ctx.update(fa.admin.template_context(fa, request, {}))
    return ctx


class _Scope:
    """What the macros of one view need while one request renders: the template context,
    the prefixes its form templates import, and each imported module once made."""

    def __init__(self, fa: Any, request: Any) -> None:
        self.env = fa.admin.core.templates.env
        self.context = _context(fa, request)
        self.imports = _imports(self.env, fa)
        self._modules: dict[str, Any] = {}

    def module(self, template: str) -> Any:
        if template not in self._modules:
            self._modules[template] = self.env.get_template(template).make_module(self.context)
        return self._modules[template]


def _scope(fa: Any, request: Any) -> _Scope:
    """The `_Scope` of `fa` for this request (kept on ``request.state``); outside a request,
    a fresh one each time."""
    if request is None:
        return _Scope(fa, None)
    scopes = getattr(request.state, "fx_macro_scopes", None)
    if scopes is None:
        scopes = request.state.fx_macro_scopes = {}
    if id(fa) not in scopes:  # by identity: a view class may define __eq__
        scopes[id(fa)] = _Scope(fa, request)
    return scopes[id(fa)]


def resolve(name: str) -> Any:
    """The macro called `name` (``"lib.render_field"``, ``"mine.box"``) for the current view."""
    fa, request = _request_view()
    if fa is None:
        raise MacroNotFound(f"Cannot find macro {name}: no view is rendering")
    scope = _scope(fa, request)
    prefix, _, rest = name.partition(".")
    if not rest:
        prefix, rest = "lib", name
    template = scope.imports.get(prefix)
    if template is None:
        raise MacroNotFound(f"Cannot find macro {name} in current context.")
    macro: Any = scope.module(template)
    for part in rest.split("."):
        macro = getattr(macro, part, None)
        if macro is None:
            raise MacroNotFound(f"Cannot find macro {name} in current context.")
    return macro


def check(fa: Any, env: Any, rule_lists: Any) -> None:
    """At registration: every macro the rules name must be defined in the template its prefix
    imports (a `ConfigError` naming it, instead of a failing page)."""
    from fasthx_core import ConfigError

    from . import rules as rule_mod

    imports = _imports(env, fa)

    def walk(rule: Any) -> Any:
        if isinstance(rule, rule_mod.NestedRule):
            for child in rule.rules:
                yield from walk(child)
        elif isinstance(rule, rule_mod.Container):
            yield rule
            yield from walk(rule.child_rule)
        elif isinstance(rule, rule_mod.Macro) and rule.fasthx_block \
                and not isinstance(rule, rule_mod.Header):
            yield rule

    for rules in rule_lists:
        for rule in (r for top in rules or () for r in walk(top)):
            prefix, _, rest = rule.macro_name.partition(".")
            if not rest:
                prefix, rest = "lib", rule.macro_name
            template = imports.get(prefix)
            try:
                source = env.loader.get_source(env, template)[0] if template else ""
            except Exception:
                source = ""
            if not re.search(r"\{%-?\s*macro\s+" + re.escape(rest.split(".")[0]) + r"\s*\(",
                             source):
                raise ConfigError(f"{type(fa).__name__}: form rule macro {rule.macro_name!r} "
                                  "is not defined in the templates the view's form imports")


def call(name: str, **kwargs: Any) -> Markup:
    return Markup(resolve(name)(**kwargs))


def render_field(field: Any) -> Markup:
    """One bound field as the engine's form shows it."""
    scope = _scope(*_request_view())
    return Markup(scope.env.get_template("partials/_form_field.html").render(
        {**scope.context, "field": field}))
