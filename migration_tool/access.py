"""``is_accessible`` methods that only ask "is someone logged in?", and their native form.

Flask-Admin code very often guards a view with ``return current_user.is_authenticated``
(Flask-Login's proxy, reached as ``current_user``, ``login.current_user`` or Flask-Security's
re-export).  In the Flask host the admin's user *is* Flask-Login's logged-in user
(`flask_admin_compat.flask_host.flask_login_user` is a user source of `fasthx_core.auth`), so
the native hook can ask the same question of the ``user`` it is given::

    def is_accessible(self, request, user):
        return user is not None

The converted view keeps ``login_required = False`` (Flask-Admin's default, stated by the
codemod), so an anonymous visitor still gets a 403 and the view is still hidden from the
sidebar, as under Flask-Admin; with ``login_required = True`` they would be sent to a login
page instead, which an app without Flask-Login's ``login_view`` does not have.

Only these exact shapes qualify: ``X.is_authenticated`` (or the pre-0.3 Flask-Login call
``X.is_authenticated()``) and ``not X.is_anonymous`` (or ``()``), X being Flask-Login's
``current_user``.  ``is_active`` is not among them: the admin's user source does not ask
Flask-Login whether a logged-in user is still active, so such checks stay on compat.

When the class's ``inaccessible_callback`` only redirects to a login page (``return
redirect(url_for("auth.login", next=request.url))``) and that endpoint is the one
``login_view`` the project's files set (``login_manager.login_view = "auth.login"``, or
Flask-Security's ``security.login``; checked by the pre-scan), both methods become
``login_required = True``: natively an anonymous visitor goes to that very page
(`flask_admin_compat.flask_host.flask_login_redirect`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import libcst as cst

from .names import code

#: Where Flask-Login's ``current_user`` proxy may be imported from (normalised names).
CURRENT_USER = frozenset({
    "flask_login.current_user", "flask_login.utils.current_user",
    "flask.ext.login.current_user", "flask_security.current_user",
    "flask.ext.security.current_user",
    "flask_security.core.current_user",
})
NATIVE_BODY = "return user is not None"
WHY = ("# in the Flask host, Flask-Login's logged-in user is the admin's `user`;",
       "# login_required = False keeps Flask-Admin's 403 for anonymous visitors")


def _returned(fn: cst.FunctionDef) -> cst.BaseExpression | None:
    """The expression of a body that is only ``return EXPR`` (after an optional docstring)."""
    line = _statement_of(fn)
    body = line.body if isinstance(line, (cst.SimpleStatementLine,
                                          cst.SimpleStatementSuite)) else ()
    if len(body) != 1 or not isinstance(body[0], cst.Return) or body[0].value is None:
        return None
    return body[0].value


def _statement_of(fn: cst.FunctionDef) -> cst.CSTNode | None:
    """The one statement of a body (after an optional docstring), or None."""
    if not isinstance(fn.body, cst.IndentedBlock):
        stmts: list[cst.CSTNode] = [fn.body]
    else:
        stmts = list(fn.body.body)
    if stmts and isinstance(stmts[0], cst.SimpleStatementLine) and len(stmts[0].body) == 1 \
            and isinstance(stmts[0].body[0], cst.Expr) and isinstance(
                stmts[0].body[0].value, (cst.SimpleString, cst.ConcatenatedString)) \
            and len(stmts) > 1:
        stmts = stmts[1:]
    return stmts[0] if len(stmts) == 1 else None


def _user_flag(expr: cst.BaseExpression, flag: str,
               resolve: Callable[[cst.BaseExpression], str | None]) -> bool:
    """``current_user.<flag>`` or ``current_user.<flag>()``."""
    if isinstance(expr, cst.Call):
        if expr.args:
            return False
        expr = expr.func
    return (isinstance(expr, cst.Attribute) and expr.attr.value == flag
            and resolve(expr.value) in CURRENT_USER)


def login_only(fn: cst.FunctionDef, resolve: Callable[[cst.BaseExpression], str | None]
               ) -> bool:
    """Is `fn` an undecorated ``is_accessible(self)`` that returns whether Flask-Login has a
    logged-in user, and nothing else?"""
    p = fn.params
    if fn.name.value != "is_accessible" or fn.decorators or len(p.params) != 1 \
            or p.star_arg is not cst.MaybeSentinel.DEFAULT or p.star_kwarg \
            or p.kwonly_params or p.posonly_params:
        return False
    expr = _returned(fn)
    if expr is None:
        return False
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Not):
        return _user_flag(expr.expression, "is_anonymous", resolve)
    return _user_flag(expr, "is_authenticated", resolve)


def native_login_check(fn: cst.FunctionDef) -> cst.FunctionDef:
    """`fn` (a `login_only` method) as the native hook: same name, ``(self, request, user)``,
    the body ``return user is not None`` under comments saying what it was and why."""
    params = cst.parse_expression("lambda self, request, user: 0").params  # type: ignore[attr-defined]
    was = code(_returned(fn))  # type: ignore[arg-type]
    lines = [f"# Flask-Admin: return {was}", *WHY, NATIVE_BODY]
    text = "def f():\n" + "".join(f"    {line}\n" for line in lines)
    body = cst.ensure_type(cst.parse_statement(text), cst.FunctionDef).body
    old = fn.body
    if isinstance(old, cst.IndentedBlock):
        first = old.body[0]
        kept = [first] if first is not _statement_of(fn) else []  # the docstring
        body = body.with_changes(body=[*kept, *body.body], indent=old.indent,
                                 header=old.header, footer=old.footer)
    return fn.with_changes(params=params, body=body)


# -- inaccessible_callback: a redirect to the login page --------------------------------------
FLASK_REDIRECT = frozenset({"flask.redirect", "werkzeug.utils.redirect"})
NEXT_VALUES = frozenset({"flask.request.url", "flask.request.full_path", "flask.request.path"})
# ``login_manager.login_view = "auth.login"`` anywhere in a project's files
LOGIN_VIEW = re.compile(rb"""\.login_view\s*=\s*['"]([A-Za-z_][\w.]*)['"]""")
FLASK_SECURITY = re.compile(rb"\b(?:flask_security|flask\.ext\.security)\b")
SECURITY_INIT = re.compile(rb"\bSecurity\(")


#: Names a rewritten login check may leave unused (their imports go when nothing else uses them)
DROPPED_WITH_LOGIN_CHECKS = CURRENT_USER | FLASK_REDIRECT | {"flask.url_for", "flask.request"}


def login_redirect(fn: cst.FunctionDef, resolve: Callable[[cst.BaseExpression], str | None]
                   ) -> str | None:
    """The endpoint of an undecorated ``inaccessible_callback`` that only does ``return
    redirect(url_for("E"[, next=request.url]))``, else None."""
    if fn.name.value != "inaccessible_callback" or fn.decorators:
        return None
    expr = _returned(fn)
    if not (isinstance(expr, cst.Call) and resolve(expr.func) in FLASK_REDIRECT
            and len(expr.args) == 1 and expr.args[0].keyword is None and not expr.args[0].star):
        return None
    call = expr.args[0].value
    if not (isinstance(call, cst.Call) and resolve(call.func) == "flask.url_for" and call.args
            and call.args[0].keyword is None and not call.args[0].star
            and isinstance(call.args[0].value, cst.SimpleString)):
        return None
    for extra in call.args[1:]:
        if extra.keyword is None or extra.keyword.value != "next" \
                or resolve(extra.value) not in NEXT_VALUES:
            return None
    endpoint = call.args[0].value.evaluated_value
    return endpoint if isinstance(endpoint, str) and not endpoint.startswith(".") else None


def login_views(data: bytes) -> set[str]:
    """The Flask-Login ``login_view`` endpoints a file sets: literal assignments, and
    Flask-Security's own ``security.login`` where the file sets Flask-Security up (with its
    default blueprint name)."""
    found = {m.group(1).decode() for m in LOGIN_VIEW.finditer(data)}
    if FLASK_SECURITY.search(data) and SECURITY_INIT.search(data):
        found.add("security.login" if b"SECURITY_BLUEPRINT_NAME" not in data
                  else "<SECURITY_BLUEPRINT_NAME>.login")
    return found


def native_login_redirect(endpoint: str) -> list[cst.BaseStatement]:
    """What replaces ``is_accessible`` + ``inaccessible_callback`` when the callback sends
    visitors to the app's Flask-Login ``login_view``: the native login requirement, which in
    the Flask host redirects to that very page (`flask_host.flask_login_redirect`)."""
    return [cst.parse_statement(
        f"# Flask-Admin: is_accessible() asked Flask-Login for a logged-in user and\n"
        f"# inaccessible_callback() redirected to {endpoint!r}, the app's login_view: a native\n"
        f"# view requires a login and sends anonymous visitors to that login_view\n"
        f"login_required = True\n")]
