"""Native mode's repository pre-scan: find every ModelView subclass across modules (A(B), B(C),
C(ModelView) in three files), the ``admin.add_view(XView(X, session))`` call sites, and decide
per class whether it becomes a native `CRUDView` or stays on the compat base (and why).

The decision reads `flask_admin_compat.translation` through `migration_tool.native.blockers`
(every attribute and method must have a native equivalent there), then the call sites: the view
is registered by a statement ``admin.add_view(XView(Model, session[, category=/name=/endpoint=
string literals]))`` in the function that makes ``admin = Admin(...)`` (the session goes to it),
with one resolvable model, and no code names its Flask-Admin endpoint (``url_for(
'xview.edit_view')`` in Python or templates: a native view has other URLs).  A whole
inheritance family converts or stays together, so a compat subclass never ends up on a native
base (or the other way round).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import libcst as cst

from . import native
from .lines import LineFinder
from .names import (
    MODELVIEW_ROOTS,
    add_view_call,
    dotted,
    import_map,
    local_definitions,
    module_name,
    normalise,
    public,
    resolve,
)


@dataclass
class ClassInfo:
    qual: str
    module: str
    path: str
    name: str
    line: int
    bases: list[str | None]
    extra_base_args: int  # keywords such as metaclass=
    attrs: list[str]
    methods: list[str]
    others: list[str]
    blockers: list[tuple[str, str]] = field(default_factory=list)  # see native.blockers
    model_attrs: list[str] = field(default_factory=list)  # X of ``X.attr`` in names lists
    login_redirect: str | None = None  # see native.login_redirect_of


@dataclass
class CallSite:
    path: str
    line: int
    func: str  # qualified name of what is called
    in_add_view: bool
    model_qual: str | None
    positional: int
    keywords: list[str]
    literals: dict[str, str] = field(default_factory=dict)  # keyword -> string literal source
    session: str | None = None  # the second positional argument's source
    scope: str = ""  # the enclosing function ("" at module level)
    receiver: str | None = None  # what add_view is called on (``admin``)
    model_name: str | None = None  # the model's class name (Flask-Admin's default endpoint)
    session_qual: str | None = None  # what the session's first name refers to, if importable


@dataclass
class ModuleInfo:
    path: str
    modname: str
    is_pkg: bool
    imap: dict[str, str]
    local_defs: list[str]
    classes: list[ClassInfo] = field(default_factory=list)
    calls: list[CallSite] = field(default_factory=list)
    # (scope, name) of each ``name = Admin(...)`` -> whether it passes session_factory=
    admins: dict[tuple[str, str], bool] = field(default_factory=dict)
    endpoints: dict[str, int] = field(default_factory=dict)  # Flask-Admin endpoint -> line
    scope_locals: dict[str, list[str]] = field(default_factory=dict)  # function -> its names


ADMIN_CLASSES = frozenset({"flask_admin_compat.Admin", "flask_admin_compat.base.Admin"})
# add_view(XView(Model, session, ...)) keywords a converted class carries -> native attribute
CALL_ATTRIBUTES = {"category": "category", "name": "display_name", "endpoint": "name"}
# ``"order.edit_view"`` in url_for / get_url: code that reaches a view by its Flask-Admin
# endpoint, which a native view (other URLs) does not have
ENDPOINT_REF = re.compile(
    rb"""['"]([A-Za-z_][A-Za-z0-9_]*)\.(index_view|create_view|edit_view|details_view|"""
    rb"""delete_view|action_view|export|ajax_lookup|ajax_update)['"]""")


def endpoint_refs(data: bytes) -> dict[str, int]:
    """Flask-Admin endpoints named in a file's text (Python or a template) -> first line."""
    out: dict[str, int] = {}
    for m in ENDPOINT_REF.finditer(data):
        out.setdefault(m.group(1).decode(), data.count(b"\n", 0, m.start()) + 1)
    return out


def class_body(node: cst.ClassDef) -> tuple[list[str], list[str], list[str]]:
    """(attributes set, methods defined, other statements) of a class body."""
    attrs, methods, others = [], [], []
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else [node.body]
    for i, stmt in enumerate(body):
        if isinstance(stmt, cst.FunctionDef):
            methods.append(stmt.name.value)
            continue
        if not isinstance(stmt, cst.SimpleStatementLine):
            others.append(type(stmt).__name__)
            continue
        for small in stmt.body:
            if isinstance(small, cst.Assign):
                for t in small.targets:
                    if isinstance(t.target, cst.Name):
                        attrs.append(t.target.value)
                    else:
                        others.append("assignment to " + type(t.target).__name__)
            elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                attrs.append(small.target.value)
            elif isinstance(small, cst.Pass):
                pass
            elif (isinstance(small, cst.Expr) and i == 0
                  and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString))):
                pass  # docstring
            else:
                others.append(type(small).__name__)
    return attrs, methods, others


def scan_module(path: Path, module: cst.Module, source: str | None = None,
                tops: dict[str, str] | None = None) -> ModuleInfo:
    """What native mode needs to know of one module (`source`: its text, for line numbers;
    generated from `module` when not given; `tops`: see `names.namespaces`)."""
    modname, is_pkg = module_name(path, tops)
    imap = import_map(module, modname, is_pkg, tops)
    defs = local_definitions(module)
    info = ModuleInfo(str(path), modname, is_pkg, imap, sorted(defs))
    text = module.code if source is None else source
    lines = LineFinder(text)
    r = native.Resolver(imap, modname, defs, {
        st.name.value: st for st in module.body if isinstance(st, cst.FunctionDef)})
    info.endpoints = endpoint_refs(text.encode("utf-8", "replace"))

    for stmt in module.body:
        if isinstance(stmt, cst.ClassDef):
            attrs, methods, others = class_body(stmt)
            bases = [resolve(a.value, imap, modname, defs) for a in stmt.bases]
            info.classes.append(ClassInfo(
                f"{modname}.{stmt.name.value}", modname, str(path), stmt.name.value,
                lines.line_of(stmt) or 0, bases, len(stmt.keywords), attrs, methods, others,
                native.blockers(stmt, r) if bases else [],
                native.model_attributes(stmt, r) if bases else [],
                native.login_redirect_of(stmt, r) if bases else None))

    class Calls(cst.CSTVisitor):
        def __init__(self) -> None:
            super().__init__()
            self.inside: dict[int, str | None] = {}
            self.scope: list[str] = []

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            self.scope.append(node.name.value)
            p = node.params
            info.scope_locals.setdefault(".".join(self.scope), []).extend(
                x.name.value for x in [*p.posonly_params, *p.params, *p.kwonly_params])

        def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
            self.scope.pop()

        def visit_Assign(self, node: cst.Assign) -> None:
            if self.scope:
                info.scope_locals.setdefault(".".join(self.scope), []).extend(
                    t.target.value for t in node.targets if isinstance(t.target, cst.Name))
            if (len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name)
                    and isinstance(node.value, cst.Call)
                    and resolve(node.value.func, imap, modname, defs) in ADMIN_CLASSES):
                info.admins[(".".join(self.scope), node.targets[0].target.value)] = any(
                    a.keyword is not None and a.keyword.value == "session_factory" or a.star
                    for a in node.value.args)

        def visit_Expr(self, node: cst.Expr) -> None:
            inner = add_view_call(node)
            if inner is not None:
                self.inside[id(inner)] = dotted(node.value.func.value)  # type: ignore[attr-defined]

        def visit_Call(self, node: cst.Call) -> None:
            func = node.func
            q = resolve(func, imap, modname, defs)
            if q is None:
                return
            pos = [a for a in node.args if a.keyword is None and not a.star]
            kws = [a.keyword.value if a.keyword else "*" for a in node.args
                   if a.keyword is not None or a.star]
            model = resolve(pos[0].value, imap, modname, defs) if pos else None
            site = CallSite(str(path), lines.line_of(node, "call") or 0, q,
                            id(node) in self.inside, model, len(pos), kws)
            if site.in_add_view:
                site.receiver = self.inside[id(node)]
                site.scope = ".".join(self.scope)
                site.literals = {a.keyword.value: native.code(a.value) for a in node.args
                                 if a.keyword is not None and native._is_str(a.value)}
                site.session = native.code(pos[1].value) if len(pos) > 1 else None
                head = (dotted(pos[1].value) or "").split(".")[0] if len(pos) > 1 else ""
                site.session_qual = resolve(cst.Name(head), imap, modname, defs) \
                    if head else None
                site.model_name = dotted(pos[0].value).rpartition(".")[2] if pos and dotted(
                    pos[0].value) else None
            info.calls.append(site)

    module.visit(Calls())
    return info


def _own_reasons(c: ClassInfo) -> list[tuple[str, str]]:
    """(short, detailed) reasons a class cannot become native by itself."""
    why = [tuple(b) for b in c.blockers]
    for o in c.others:
        why.append((f"class statement {o}", f"class body statement ({o}) is not translated"))
    if len(c.bases) != 1 or c.extra_base_args:
        why.append(("several bases",
                    "more than one base class (or class keywords): mixins are not checked"))
    return why


def view_family(classes: dict[str, Any]) -> set[str]:
    """The qualified names of the classes that descend from a Flask-Admin ModelView, across
    modules (`classes`: qualified name -> ClassInfo)."""
    family: set[str] = set()
    grew = True
    while grew:
        grew = False
        for c in classes.values():
            if c.qual not in family and any(b in MODELVIEW_ROOTS or b in family
                                            for b in c.bases if b):
                family.add(c.qual)
                grew = True
    return family


def plan(modules: list[ModuleInfo], references: dict[str, dict[str, int]] | None = None,
         login_views: set[str] | None = None) -> dict[str, Any]:
    """{"convert": {qual: {...}}, "left": {qual: reason}, "classes": {qual: ClassInfo dict},
    "sessions": {"module:scope:admin": session source}}.  `references`: Flask-Admin endpoints
    named in other files (templates, modules not scanned): path -> endpoint -> line.
    `login_views`: the Flask-Login ``login_view`` endpoints the project's files set (see
    `access.login_views`)."""
    references = references or {}
    login_views = login_views or set()
    classes = {c.qual: c for m in modules for c in m.classes}
    by_mod = {m.modname: m for m in modules}
    by_path = {m.path: m for m in modules}
    family = view_family(classes)
    parent = {q: q for q in family}

    def find(q: str) -> str:
        while parent[q] != q:
            q = parent[q]
        return q

    children: dict[str, list[str]] = {q: [] for q in family}
    for q in family:
        for b in classes[q].bases:
            if b in family:
                parent[find(q)] = find(b)
                children[b].append(q)

    calls = [s for m in modules for s in m.calls if s.func in family]
    reasons: dict[str, list[tuple[str, str]]] = {}
    models: dict[str, dict[str, Any]] = {}
    for q in sorted(family):
        c = classes[q]
        why = _own_reasons(c)
        sites = [s for s in calls if s.func == q]
        for s in sites:
            where = f"{s.path}:{s.line}"
            if not s.in_add_view:
                why.append(("instantiated outside add_view()",
                            f"instantiated outside admin.add_view() at {where}"))
            elif s.positional < 2 and "*" not in s.keywords:  # the view names its own model
                why.append(("add_view() passes no (model, session)",
                            f"admin.add_view({c.name}(...)) at {where} does not pass (model, "
                            "session): the class gives them to Flask-Admin itself"))
            elif s.positional != 2 or set(s.keywords) - set(s.literals) or set(
                    s.literals) - set(CALL_ATTRIBUTES):
                why.append(("add_view() passes more than (model, session)",
                            f"admin.add_view({c.name}(...)) at {where} passes more than "
                            "(model, session) and literal " + "/".join(CALL_ATTRIBUTES) + "="))
            elif s.model_qual is None:
                why.append(("model not resolvable",
                            f"the model at {where} cannot be resolved statically"))
            elif (s.scope, s.receiver or "") not in by_path[s.path].admins and not (
                    s.session_qual and (s.session or "").split(".")[0]
                    not in by_path[s.path].scope_locals.get(s.scope, ())):
                why.append(("Admin(...) not in add_view()'s function",
                            f"the Admin that add_view() is called on at {where} is not created "
                            "in the same function, and the session is not a module-level name "
                            "the class could name itself (pass session_factory= by hand)"))
            else:
                endpoint = s.literals.get("endpoint", "").strip("'\"") or (
                    s.model_name or "").lower()
                used = {f"{m.path}:{m.endpoints[endpoint]}" for m in modules
                        if endpoint in m.endpoints} | {
                    f"{t}:{refs[endpoint]}" for t, refs in references.items()
                    if endpoint in refs}
                if used:
                    why.append(("endpoint used by url_for",
                                f"its Flask-Admin endpoint '{endpoint}' is used by "
                                f"url_for/get_url at {', '.join(sorted(used))}; the native view "
                                "has other URLs"))
        found = {s.model_qual for s in sites if s.in_add_view and s.model_qual}
        if len(found) > 1:
            why.append(("several models",
                        "registered with several models: "
                        + ", ".join(sorted(public(m) for m in found))))
        if not sites and not children[q]:
            why.append(("no add_view() call site",
                        "no admin.add_view(" + c.name + "(Model, session)) call site found"))
        if c.login_redirect and login_views != {c.login_redirect}:
            why.append(("inaccessible_callback() not to login_view",
                        f"inaccessible_callback() redirects to {c.login_redirect!r}, and the "
                        "project's Flask-Login login_view, where native views send anonymous "
                        "visitors, is " + (" / ".join(sorted(map(repr, login_views)))
                                           if login_views else "not set in its files")))
        others = sorted(set(c.model_attrs) - found) if len(found) == 1 else c.model_attrs
        if others:  # ``X.attr`` is the key "attr" only when X is the view's model
            why.append(("attributes of another model",
                        "its column lists name attributes of "
                        + ", ".join(public(m) for m in others)
                        + ", not of the one model its admin.add_view call passes: "
                        "write them as keys by hand"))
        if len(found) == 1 and not why:
            model_q = found.pop()
            mod = by_mod[c.module]
            local = [n for n, full in mod.imap.items() if normalise(full) == model_q]
            mmod, _, mname = model_q.rpartition(".")
            if local:
                models[q] = {"model": local[0], "import": None}
            elif mmod == c.module and mname in mod.local_defs:
                models[q] = {"model": mname, "import": None}
            elif mname in mod.imap or mname in mod.local_defs:
                why.append((f"name {mname} taken",
                            f"the model name {mname} is bound to something else in "
                            f"{public(c.module)}"))
            else:
                models[q] = {"model": mname, "import": [public(mmod), mname]}
        site = next((s for s in sites if s.in_add_view), None)
        if q in models and site is not None:
            attrs = {CALL_ATTRIBUTES[k]: v for k, v in sorted(site.literals.items())}
            if "name" not in attrs and site.model_name:  # keep Flask-Admin's URL name
                attrs["name"] = repr(site.model_name.lower()).replace("'", '"')
            models[q]["attributes"] = attrs
            if (site.scope, site.receiver or "") in by_path[site.path].admins:
                models[q]["session"] = (f"{by_path[site.path].modname}:{site.scope}:"
                                        f"{site.receiver}", site.session)
            elif site.session and site.session_qual:
                # the Admin is made elsewhere: the class names its session itself
                head = site.session.split(".")[0]
                mod = by_mod[c.module]
                bound = normalise(mod.imap[head]) if head in mod.imap else (
                    f"{c.module}.{head}" if head in mod.local_defs else None)
                if bound is None:
                    smod, _, sname = site.session_qual.rpartition(".")
                    models[q]["session_import"] = [public(smod), sname]
                elif bound != site.session_qual:
                    why.append((f"name {head} taken",
                                f"the session's name {head} is bound to something else in "
                                f"{public(c.module)}"))
                models[q]["attributes"]["session_factory"] = site.session
        reasons[q] = why

    # one session per admin: the converted views registered on one Admin must agree on it
    by_admin: dict[str, set[str | None]] = {}
    for q, m in models.items():
        if "session" in m and not reasons[q]:
            by_admin.setdefault(m["session"][0], set()).add(m["session"][1])
    for q, m in models.items():
        if "session" in m and len(by_admin.get(m["session"][0], ())) > 1:
            reasons[q].append(("several sessions",
                               "the views on its Admin are given different sessions: "
                               + ", ".join(sorted(str(x) for x in by_admin[m["session"][0]]))))

    convert: dict[str, Any] = {}
    sessions: dict[str, str | None] = {}
    left: dict[str, str] = {}
    short: dict[str, str] = {}
    groups: dict[str, list[str]] = {}
    for q in family:
        groups.setdefault(find(q), []).append(q)
    for members in groups.values():
        bad = sorted(q for q in members if reasons[q])
        for q in members:
            if not bad:
                c = classes[q]
                m = models.get(q, {})
                convert[q] = {"model": m.get("model"), "import": m.get("import"),
                              "session_import": m.get("session_import"),
                              "login_redirect": c.login_redirect,
                              "attributes": m.get("attributes", {}),
                              "rebase": any(b in MODELVIEW_ROOTS for b in c.bases)}
                if m.get("session"):
                    sessions[m["session"][0]] = m["session"][1]
            elif reasons[q]:
                left[q] = "; ".join(long for _, long in reasons[q])
                short[q] = ", ".join(dict.fromkeys(s for s, _ in reasons[q]))
            else:
                left[q] = short[q] = ("shares its inheritance chain with "
                                      + ", ".join(classes[b].name for b in bad)
                                      + ", which stays on compat")
    return {"convert": convert, "left": left, "left_short": short, "sessions": sessions,
            "classes": {q: asdict(classes[q]) for q in sorted(family)}}


_BY_MODULE: list[Any] = [None, None, {}]  # (convert, left, index): the plan last indexed


def module_of(plan_: dict[str, Any], modname: str) -> tuple[dict[str, Any], dict[str, str]]:
    """The plan's convert entries and short left reasons for classes defined in `modname`
    (indexed once per plan: every file asks)."""
    convert, left = plan_.get("convert", {}), plan_.get("left_short", {})
    if _BY_MODULE[0] is not convert or _BY_MODULE[1] is not left:
        index: dict[str, tuple[dict[str, Any], dict[str, str]]] = {}
        for q, v in convert.items():
            index.setdefault(q.rpartition(".")[0], ({}, {}))[0][q] = v
        for q, v in left.items():
            index.setdefault(q.rpartition(".")[0], ({}, {}))[1][q] = v
        _BY_MODULE[:] = [convert, left, index]
    return _BY_MODULE[2].get(modname, ({}, {}))


__all__ = ["ClassInfo", "CallSite", "ModuleInfo", "dotted", "module_of", "plan", "scan_module"]
