"""Native mode's class rewrite, by `flask_admin_compat.translation`: what in a ModelView
subclass has a native equivalent, and the rewritten class body.

`blockers` (used by the pre-scan) and `convert_body` (used by FXM101) share the checks below,
so a class the pre-scan clears is one the rewrite can carry in full.  What converts:
- attributes of ``same``/``rename`` rows (renamed), and ``convert`` rows whose value is a literal
  of the row's ``literal`` shape (``column_list = ("a", "b")``, ``form_widget_args = {...}``,
  ``form_create_rules = (rules.FieldSet(("a", "b"), "Header"), ...)``);
- hooks with a ``params`` row (``on_model_change(self, form, model, is_created)`` ->
  ``on_model_change(self, model, form_data, is_created, db, request=None)``) when the body does
  not read a parameter the native hook does not get, raises nothing, and reads on ``self`` only
  what a native view has; ``super().get_query()`` -> ``super().get_query(db)``; a
  ``get_count_query`` that repeats ``get_query``'s scope is dropped (native counts follow
  ``get_query``); an ``is_accessible`` that only asks Flask-Login whether someone is logged in
  becomes ``return user is not None`` (see `migration_tool.access`).
Everything else is a blocker with a reason, and the class stays on compat.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import libcst as cst

from . import access
from .names import code, dotted, resolve
from .table import translation

RULES_MODULE = "flask_admin_compat.form.rules"
# names whose use in is_accessible() needs the Flask request context, which native views lack
FLASK_ROOTS = ("flask.", "flask_login.", "flask_security.", "flask_principal.")
Reason = tuple[str, str]  # (short, detailed)


@cache
def native_attributes() -> frozenset[str]:
    """What ``self.x`` may read in a converted method: a native view's attributes, minus
    ``session`` (a context manager natively, a Session in Flask-Admin)."""
    from fasthx_core import CRUDView

    return frozenset(dir(CRUDView)) - {"session"}


@dataclass
class Resolver:
    """Resolves names of one module (its imports and top-level definitions)."""

    imap: dict[str, str]
    modname: str
    defs: set[str]
    functions: dict[str, cst.FunctionDef] = field(default_factory=dict)  # top-level defs

    def __call__(self, expr: cst.BaseExpression) -> str | None:
        return resolve(expr, self.imap, self.modname, self.defs)


# -- literal shapes ---------------------------------------------------------------------------
def _is_str(node: cst.BaseExpression) -> bool:
    return isinstance(node, (cst.SimpleString, cst.ConcatenatedString))


def _items(node: cst.BaseExpression) -> list[cst.BaseExpression] | None:
    if isinstance(node, (cst.Tuple, cst.List)) and not any(
            isinstance(e, cst.StarredElement) for e in node.elements):
        return [e.value for e in node.elements]
    return None


def model_attribute(node: cst.BaseExpression, r: Resolver) -> str | None:
    """What ``X`` of an item ``X.attr`` refers to (a class, resolved), or None.  Such an item
    is the key ``"attr"`` when X is the view's model, which the pre-scan checks
    (`model_attributes`): the class alone does not know its model."""
    if isinstance(node, cst.Attribute) and not node.lpar:
        return r(node.value)
    return None


def _names(node: cst.BaseExpression, r: Resolver) -> bool:
    items = _items(node)
    return items is not None and all(_is_str(i) or model_attribute(i, r) for i in items)


def model_attributes(node: cst.ClassDef, r: Resolver) -> list[str]:
    """The classes named by ``X.attr`` items of the class's ``names`` literals (sorted)."""
    attrs, _ = class_parts(node)
    out: set[str] = set()
    for a, value in attrs.items():
        row = translation.BY_NAME.get(a)
        if row is not None and row.literal == "names" and _names(value, r):
            out.update(q for i in _items(value) or [] if (q := model_attribute(i, r)))
    return sorted(out)


def _attribute_keys(stmt: cst.SimpleStatementLine) -> cst.SimpleStatementLine:
    """``(Item.name, "notes")`` -> ``("name", "notes")`` in a names literal."""
    small = stmt.body[0]
    value = small.value  # type: ignore[attr-defined]
    elements = [e.with_changes(value=cst.SimpleString(f'"{e.value.attr.value}"'))
                if isinstance(e.value, cst.Attribute) else e for e in value.elements]
    return stmt.with_changes(body=[small.with_changes(value=value.with_changes(
        elements=elements)), *stmt.body[1:]])


def _sortable(node: cst.BaseExpression, r: Resolver) -> bool:
    items = _items(node)
    return items is not None and all(
        _is_str(i) or ((pair := _items(i)) is not None and len(pair) == 2
                       and all(_is_str(p) for p in pair)) for i in items)


def _sort_key(node: cst.BaseExpression) -> bool:
    if _is_str(node):
        return True
    pair = _items(node)
    return (pair is not None and len(pair) == 2 and _is_str(pair[0])
            and isinstance(pair[1], cst.Name) and pair[1].value in ("True", "False"))


def _default_sort(node: cst.BaseExpression, r: Resolver) -> bool:
    if _sort_key(node):
        return True
    return isinstance(node, cst.List) and all(_sort_key(e.value) for e in node.elements)


def _str_keyed(node: cst.BaseExpression) -> list[cst.DictElement] | None:
    if not isinstance(node, cst.Dict):
        return None
    out = [e for e in node.elements if isinstance(e, cst.DictElement) and _is_str(e.key)]
    return out if len(out) == len(node.elements) else None


def _widget_args(node: cst.BaseExpression, r: Resolver) -> bool:
    els = _str_keyed(node)
    return els is not None and all(_str_keyed(e.value) is not None for e in els)


def _choices(node: cst.BaseExpression, r: Resolver) -> bool:
    return _str_keyed(node) is not None


FORMATTER_PARAMS = 4  # Flask-Admin's column formatter: (view, context, model, name)


def _plain_formatter(node: cst.BaseExpression, r: Resolver) -> bool:
    """A module-level ``def f(view, context, model, name)`` that reads neither `view` nor
    `context`: natively ``lambda value, obj: f(None, None, obj, "column")``."""
    if not isinstance(node, cst.Name) or node.value not in r.functions:
        return False
    fn = r.functions[node.value]
    p = fn.params
    if (len(p.params) != FORMATTER_PARAMS or p.star_arg is not cst.MaybeSentinel.DEFAULT
            or p.star_kwarg or p.kwonly_params or p.posonly_params or fn.decorators):
        return False
    used = _read(fn).names
    return not any(x.name.value in used for x in p.params[:2])


def _formatters(node: cst.BaseExpression, r: Resolver) -> bool:
    els = _str_keyed(node)
    return els is not None and all(_plain_formatter(e.value, r) for e in els)


def _rule_fields(node: cst.BaseExpression, r: Resolver) -> tuple[str, list[str]] | None:
    """A rule -> ("", [field]) for a name or rules.Field, (header, fields) for a FieldSet."""
    if _is_str(node):
        return "", [code(node)]
    if not isinstance(node, cst.Call):
        return None
    kind = r(node.func)
    args = [a for a in node.args if a.keyword is None and not a.star]
    kws = {a.keyword.value: a.value for a in node.args if a.keyword is not None}
    if kind == f"{RULES_MODULE}.Field" and len(args) == 1 and not kws and _is_str(args[0].value):
        return "", [code(args[0].value)]
    if kind == f"{RULES_MODULE}.FieldSet" and 1 <= len(args) <= 2 and set(kws) <= {"header"}:
        header = args[1].value if len(args) == 2 else kws.get("header")
        inner = _items(args[0].value)
        if inner is None or not all(_is_str(i) for i in inner):
            return None
        if header is not None and not _is_str(header):
            return None
        return (code(header) if header is not None else '""'), [code(i) for i in inner]
    return None


def _rules(node: cst.BaseExpression, r: Resolver) -> bool:
    items = _items(node)
    return items is not None and all(_rule_fields(i, r) is not None for i in items)


SHAPES: dict[str, Callable[[cst.BaseExpression, Resolver], bool]] = {
    "names": _names, "sortable": _sortable, "default_sort": _default_sort,
    "widget_args": _widget_args, "choices": _choices, "rules": _rules,
    "formatters": _formatters,
}


# -- hooks ------------------------------------------------------------------------------------
@dataclass
class _Body:
    """What a method body reads: names, ``self.x`` attributes, raises, super() calls."""

    names: set[str] = field(default_factory=set)
    self_attrs: set[str] = field(default_factory=set)
    raises: bool = False
    supers: list[cst.Call] = field(default_factory=list)


def _read(node: cst.FunctionDef) -> _Body:
    out = _Body()

    class V(cst.CSTVisitor):
        def visit_Name(self, n: cst.Name) -> None:
            out.names.add(n.value)

        def visit_Attribute(self, n: cst.Attribute) -> None:
            if isinstance(n.value, cst.Name) and n.value.value == "self":
                out.self_attrs.add(n.attr.value)

        def visit_Raise(self, n: cst.Raise) -> None:
            out.raises = True

        def visit_Call(self, n: cst.Call) -> bool:
            f = n.func
            if (isinstance(f, cst.Attribute) and isinstance(f.value, cst.Call)
                    and dotted(f.value.func) == "super" and not f.value.args):
                out.supers.append(n)
                return False  # its arguments are rewritten with the call (or block it)
            return True

    node.body.visit(V())
    return out


def _params(node: cst.FunctionDef) -> list[str] | None:
    """The plain positional parameter names after self, or None for anything fancier."""
    p = node.params
    if p.star_arg is not cst.MaybeSentinel.DEFAULT or p.star_kwarg or p.kwonly_params \
            or p.posonly_params:
        return None
    names = [x.name.value for x in p.params]
    if not names or names[0] != "self" or any(x.default for x in p.params):
        return None
    return names[1:]


def _split(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def hook_plan(node: cst.FunctionDef, row: translation.Row, own: set[str], r: Resolver
              ) -> tuple[list[str] | None, list[Reason]]:
    """(the native parameters with the user's names, blockers) for one hook method."""
    name = node.name.value
    fa_params = _params(node)
    native = _split(row.params)
    carry = _split(row.carry) if row.carry else []
    why: list[Reason] = []
    if node.decorators:
        why.append((f"decorated {name}()", f"{name}() is decorated"))
    if fa_params is None or len(fa_params) != len(carry):
        return None, [*why, (f"hook {name}() signature",
                             f"{name}() does not have Flask-Admin's parameters")]
    body = _read(node)
    rename = {}
    for fa_name, target in zip(fa_params, carry, strict=True):
        if target == "-":
            if fa_name in body.names:
                why.append((f"hook {name}() reads {fa_name}",
                            f"{name}() reads `{fa_name}`, which the native hook does not get "
                            f"({row.native}(self, {row.params}))"))
        else:
            rename[target] = fa_name
    params = [rename.get(p.split("=")[0], p.split("=")[0]) + (
        "=" + p.split("=", 1)[1] if "=" in p else "") for p in native]
    bare = [p.split("=")[0] for p in params]
    shadowed = sorted(set(bare) - set(fa_params) & body.names)
    if shadowed:  # a new parameter would hide a name the body reads (``db``, ``request``)
        why.append((f"hook {name}() reads {shadowed[0]}",
                    f"{name}() reads `{'`, `'.join(shadowed)}`, which the native hook's "
                    f"parameters ({row.params}) would hide"))
    if len(set(bare)) != len(bare):
        why.append((f"hook {name}() parameter names",
                    f"{name}()'s parameter names clash with the native ones ({row.params})"))
    if body.raises:
        why.append((f"hook {name}() raises",
                    f"{name}() raises: native hooks refuse a save with "
                    "fasthx_core.ValidationError, check the exception by hand"))
    foreign = sorted(a for a in body.self_attrs if a not in native_attributes() and a not in own)
    if foreign:
        why.append((f"hook {name}() reads self." + foreign[0],
                    f"{name}() reads self.{', self.'.join(foreign)}, which native views "
                    "do not have"))
    for call in body.supers:
        attr = call.func.attr.value  # type: ignore[attr-defined]
        passed = [dotted(a.value) for a in call.args]
        if attr != name or a_kw(call) or passed != fa_params:
            why.append((f"hook {name}() super() call",
                        f"{name}() calls super().{attr}(...) with other arguments than its own"))
    if name == "is_accessible":
        flask = sorted(n for n in body.names if n in r.imap and any(
            (r.imap[n] + ".").startswith(root) for root in FLASK_ROOTS))  # `flask_login as x`
        if flask:
            why.append(("is_accessible() uses Flask",
                        f"is_accessible() uses {', '.join(flask)} (Flask's request context); "
                        "the native hook gets (request, user)"))
    return params, why


def names_in(node: cst.CSTNode) -> set[str]:
    """Every bare name `node` reads (attribute names excluded)."""
    out: set[str] = set()

    class V(cst.CSTVisitor):
        def visit_Name(self, n: cst.Name) -> None:
            out.add(n.value)

        def visit_Attribute(self, n: cst.Attribute) -> bool:
            n.value.visit(self)
            return False

    node.visit(V())
    return out


def a_kw(call: cst.Call) -> bool:
    return any(a.keyword is not None or a.star for a in call.args)


def _same_scope(query: cst.FunctionDef, count: cst.FunctionDef) -> bool:
    """Does get_count_query repeat get_query's scope (``super().get_count_query().filter(X)``
    beside ``super().get_query().filter(X)``)?  Then the native count, which follows
    get_query, is the same."""
    a = code(query.body).replace("get_query", "\0")
    b = code(count.body).replace("get_count_query", "\0")
    return a == b and "\0" in a


# -- the class --------------------------------------------------------------------------------
def class_parts(node: cst.ClassDef) -> tuple[dict[str, cst.BaseExpression],
                                              dict[str, cst.FunctionDef]]:
    """(attribute -> value, method name -> def) of a class body's plain statements."""
    attrs: dict[str, cst.BaseExpression] = {}
    methods: dict[str, cst.FunctionDef] = {}
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
    for stmt in body:
        if isinstance(stmt, cst.FunctionDef):
            methods[stmt.name.value] = stmt
        elif isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(
                        small.targets[0].target, cst.Name):
                    attrs[small.targets[0].target.value] = small.value
                elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name) \
                        and small.value is not None:
                    attrs[small.target.value] = small.value
    return attrs, methods


def blockers(node: cst.ClassDef, r: Resolver) -> list[Reason]:
    """Why this class cannot become a native view (empty: it can), by the translation table."""
    attrs, methods = class_parts(node)
    renames = translation.renames()
    own = set(attrs) | set(methods)
    why: list[Reason] = []
    for a, value in attrs.items():
        if a in renames or a == "model":
            continue
        row = translation.BY_NAME.get(a)
        if row is None:
            why.append((f"attribute {a} not in the table", f"{a} is not in the translation table"))
        elif row.literal and SHAPES[row.literal](value, r):
            continue
        else:
            detail = row.note or (f"-> {row.native}" if row.native else "")
            how = f" and its value is not a literal of the '{row.literal}' shape" \
                if row.literal else ""
            why.append((f"{row.kind} row {a}",
                        f"{a} is a '{row.kind}' row of the translation table{how}"
                        + (f" ({detail})" if detail else "")))
    if "form_rules" in attrs and "form_columns" in attrs:
        why.append(("form_rules with form_columns",
                    "form_rules and form_columns are both set: carry them by hand"))
    for m, fn in methods.items():
        hook = translation.HOOKS_BY_NAME.get(m)
        if m == "get_count_query" and "get_query" in methods and _same_scope(
                methods["get_query"], fn):
            continue
        if access.login_only(fn, r):  # ``return current_user.is_authenticated``
            continue
        if m == "inaccessible_callback" and login_redirect_of(node, r):
            continue  # the pre-scan checks that it goes to the app's login_view
        if hook is None:
            why.append((f"method {m}()",
                        f"method {m}() has no native equivalent in the translation table"))
        elif not hook.params or m == "get_count_query":
            why.append((f"hook {m}()", f"hook {m}() has another native signature: "
                        f"{hook.native} {hook.note}"))
        else:
            why.extend(hook_plan(fn, hook, own, r)[1])
    return why


def login_redirect_of(node: cst.ClassDef, r: Resolver) -> str | None:
    """The endpoint of a class's ``inaccessible_callback`` redirecting to a login page, when its
    ``is_accessible`` only asks Flask-Login for a logged-in user (see `access`)."""
    _, methods = class_parts(node)
    if "inaccessible_callback" not in methods or "is_accessible" not in methods \
            or not access.login_only(methods["is_accessible"], r):
        return None
    return access.login_redirect(methods["inaccessible_callback"], r)


def _stmt(text: str, config: cst.PartialParserConfig | None = None) -> cst.BaseStatement:
    return cst.parse_statement(text, config) if config else cst.parse_statement(text)


def _assign_name(stmt: cst.CSTNode) -> str | None:
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
        small = stmt.body[0]
        if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(
                small.targets[0].target, cst.Name):
            return small.targets[0].target.value
        if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
            return small.target.value
    return None


def _block(lines: list[tuple[str, str]], indent: str, name: str, opener: str, closer: str
           ) -> str:
    # continuation lines are relative to the class body's indentation (LibCST adds it)
    inner = "".join(f"{indent}{k}: {v},\n" if k else f"{indent}{v},\n" for k, v in lines)
    return f"{name} = {opener}\n{inner}{closer}"


def convert_body(node: cst.ClassDef, r: Resolver, entry: dict[str, Any],
                 note: Callable[[cst.CSTNode, str], None]) -> cst.ClassDef:
    """The class with its body in native terms (the base is swapped by the caller).  `entry`
    is the plan's (model, class attributes from the add_view call); `note(node, message)`
    records each change."""
    name = node.name.value
    attrs, methods = class_parts(node)
    renames = translation.renames()
    indent = node.body.indent if isinstance(node.body, cst.IndentedBlock) and \
        node.body.indent is not None else "    "
    own = set(attrs) | set(methods)
    widgets: dict[str, list[str]] = {}
    for a in ("form_widget_args", "form_choices"):
        for el in _str_keyed(attrs[a]) or [] if a in attrs else []:
            parts = widgets.setdefault(code(el.key), [])
            if a == "form_widget_args":
                parts += [f"{code(e.key)}: {code(e.value)}" for e in _str_keyed(el.value) or []]
            else:
                parts += ['"type": "select"', f'"choices": {code(el.value)}']
    widget_done = False
    out: list[cst.BaseStatement] = []
    for stmt in node.body.body:  # type: ignore[union-attr]
        target = _assign_name(stmt)
        if isinstance(stmt, cst.FunctionDef):
            endpoint = entry.get("login_redirect")
            if endpoint and stmt.name.value == "is_accessible":
                note(stmt, f"class {name}: is_accessible() + inaccessible_callback() -> "
                     f"login_required = True (Flask-Login's login_view {endpoint!r})")
                new_stmts = access.native_login_redirect(endpoint)
                new_stmts[0] = new_stmts[0].with_changes(leading_lines=[
                    *stmt.leading_lines, *new_stmts[0].leading_lines])
                out.extend(new_stmts)
            elif not (endpoint and stmt.name.value == "inaccessible_callback"):
                out.extend(_convert_method(stmt, methods, own, r, name, note))
            continue
        if target is None or target == "model":
            out.append(stmt)
            continue
        new = renames.get(target)
        if new is not None:
            if new != target:
                note(stmt, f"class {name}: {target} -> {new}")
                stmt = _rename(stmt, new)
            out.append(stmt)
            continue
        row = translation.BY_NAME[target]
        if row.literal in ("names", "sortable", "default_sort"):
            if row.literal == "names" and not all(_is_str(i) for i in _items(attrs[target]) or []):
                note(stmt, f"class {name}: {target}: Model.attr items -> their keys")
                stmt = _attribute_keys(stmt)
            if row.native != target:
                note(stmt, f"class {name}: {target} -> {row.native}")
                stmt = _rename(stmt, row.native or target)
            out.append(stmt)
        elif row.literal in ("widget_args", "choices"):
            if widget_done:
                continue
            widget_done = True
            text = _block([(k, "{" + ", ".join(v) + "}") for k, v in widgets.items()], indent,
                          "form_widget_overrides", "{", "}")
            new_stmt = _stmt(text).with_changes(leading_lines=stmt.leading_lines)
            note(stmt, f"class {name}: form_widget_args / form_choices -> form_widget_overrides")
            out.append(new_stmt)
        elif row.literal == "formatters":
            out.append(_formatters_to_native(stmt, target, row.native or target, attrs[target],
                                             indent, name, note))
        elif row.literal == "rules":
            out.extend(_rules_to_sections(stmt, target, attrs[target], r, indent, name, note))
    extra = _new_attributes(entry, attrs, indent)
    if extra:
        at = 0
        if out and isinstance(out[0], cst.SimpleStatementLine) and isinstance(
                out[0].body[0], cst.Expr) and _is_str(out[0].body[0].value):
            at = 1  # after the docstring
        out = [s for s in out if not (isinstance(s, cst.SimpleStatementLine)
                                      and all(isinstance(x, cst.Pass) for x in s.body))] or out
        for _, message in extra:
            note(node, f"class {name}: {message}")
        out[at:at] = [_stmt(text) for text, _ in extra]
        after = at + len(extra)
        if after < len(out) and isinstance(out[after], (cst.FunctionDef, cst.ClassDef)) \
                and not out[after].leading_lines:  # a blank line before the first method
            out[after] = out[after].with_changes(leading_lines=[cst.EmptyLine(indent=False)])
    return node.with_changes(body=node.body.with_changes(body=out))


def _rename(stmt: cst.SimpleStatementLine, new: str) -> cst.SimpleStatementLine:
    small = stmt.body[0]
    if isinstance(small, cst.Assign):
        t = small.targets[0]
        small = small.with_changes(targets=[t.with_changes(target=t.target.with_changes(
            value=new))])
    else:
        small = small.with_changes(target=small.target.with_changes(value=new))
    return stmt.with_changes(body=[small, *stmt.body[1:]])


def _formatters_to_native(stmt: cst.SimpleStatementLine, target: str, native_name: str,
                          value: cst.BaseExpression, indent: str, name: str,
                          note: Callable[[cst.CSTNode, str], None]) -> cst.BaseStatement:
    rows = [(code(e.key), f"lambda value, obj: {code(e.value)}(None, None, obj, {code(e.key)})")
            for e in _str_keyed(value) or []]
    note(stmt, f"class {name}: {target} -> {native_name} (fn(value, obj) calling the "
         "Flask-Admin formatter, which reads neither view nor context)")
    return _stmt(_block(rows, indent, native_name, "{", "}")).with_changes(
        leading_lines=stmt.leading_lines)


def _rules_to_sections(stmt: cst.SimpleStatementLine, target: str, value: cst.BaseExpression,
                       r: Resolver, indent: str, name: str,
                       note: Callable[[cst.CSTNode, str], None]) -> list[cst.BaseStatement]:
    """One ``form_*_rules`` literal -> its ``form_*_columns`` and, with FieldSets,
    ``form_*_sections`` (loose fields between FieldSets become untitled sections)."""
    prefix = {"form_create_rules": "form_create", "form_edit_rules": "form_edit",
              "form_rules": "form"}[target]
    columns: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    loose: list[str] = []
    structured = False
    for item in _items(value) or []:
        header, fields = _rule_fields(item, r)  # type: ignore[misc]
        if header:
            structured = True
            if loose:
                sections.append(('""', loose))
                loose = []
            sections.append((header, fields))
        else:
            loose.extend(fields)
        columns.extend(f for f in fields if f not in columns)
    if loose:
        sections.append(('""', loose))
    cols = f"{prefix}_columns = (" + ", ".join(columns) + ("," if len(columns) == 1 else "") + ")"
    out = [_stmt(cols).with_changes(leading_lines=stmt.leading_lines)]
    message = f"class {name}: {target} -> {prefix}_columns"
    if structured:
        rows = [("", f"({h}, (" + ", ".join(f) + ("," if len(f) == 1 else "") + "))")
                for h, f in sections]
        out.append(_stmt(_block(rows, indent, f"{prefix}_sections", "[", "]")))
        message += f" + {prefix}_sections"
    note(stmt, message)
    return out


def _new_attributes(entry: dict[str, Any], attrs: dict[str, Any], indent: str
                    ) -> list[tuple[str, str]]:
    """The statements a converted class gains: model, what its add_view call passed, and
    Flask-Admin's defaults where the native ones differ."""
    out: list[tuple[str, str]] = []
    if entry.get("model") and "model" not in attrs:
        out.append((f"model = {entry['model']}",
                    f"model = {entry['model']} (from its admin.add_view call site)"))
    for attr, value in entry.get("attributes", {}).items():
        out.append((f"{attr} = {value}", f"{attr} = {value} (from its admin.add_view call)"))
    native_set = {translation.BY_NAME[a].native if a in translation.BY_NAME else a
                  for a in attrs}
    for attr, value, fa_attr in translation.FA_DEFAULTS if entry.get("rebase") else ():
        if fa_attr in attrs or attr in native_set or attr in attrs or (
                attr == "login_required" and entry.get("login_redirect")):
            continue
        out.append((f"{attr} = {value}  # Flask-Admin's default",
                    f"{attr} = {value} (Flask-Admin's default)"))
    return out


def _convert_method(fn: cst.FunctionDef, methods: dict[str, cst.FunctionDef], own: set[str],
                    r: Resolver, cls: str, note: Callable[[cst.CSTNode, str], None]
                    ) -> list[cst.BaseStatement]:
    name = fn.name.value
    if name == "get_count_query":
        note(fn, f"class {cls}: get_count_query() dropped: it repeats get_query()'s scope, "
             "and native counts follow get_query()")
        return []
    if access.login_only(fn, r):
        note(fn, f"class {cls}: {name}(self) -> {name}(self, request, user): "
             "`user is not None` (Flask-Login's user is the admin's in the Flask host)")
        return [access.native_login_check(fn)]
    row = translation.HOOKS_BY_NAME[name]
    params, _ = hook_plan(fn, row, own, r)
    assert params is not None
    new_params = cst.parse_expression(f"lambda self, {', '.join(params)}: 0").params
    bare = [p.split("=")[0] for p in params]

    class Supers(cst.CSTTransformer):
        def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
            f = updated.func
            if (isinstance(f, cst.Attribute) and isinstance(f.value, cst.Call)
                    and dotted(f.value.func) == "super" and f.attr.value == name):
                return updated.with_changes(args=[cst.Arg(cst.Name(p)) for p in bare])
            return updated

    body = fn.body.visit(Supers())
    note(fn, f"class {cls}: {name}(self, {', '.join(_params(fn) or [])}) -> "
         f"{row.native}(self, {', '.join(params)})")
    return [fn.with_changes(name=fn.name.with_changes(value=row.native or name),
                            params=new_params, body=body)]
