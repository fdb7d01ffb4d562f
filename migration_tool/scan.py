"""Native mode's repository pre-scan: find every ModelView subclass across modules (A(B), B(C),
C(ModelView) in three files), the ``admin.add_view(XView(X, session))`` call sites, and decide
per class whether it becomes a native `CRUDView` or stays on the compat base (and why).

The decision reads `flask_admin_compat.translation` (``renames()``, ``BY_NAME``, ``HOOKS``): a
class converts when every attribute it sets is a ``same``/``rename`` row and it overrides no
method.  A whole inheritance family converts or stays together, so a compat subclass never ends
up on a native base (or the other way round).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import libcst as cst

from flask_admin_compat import translation

from .names import MODELVIEW_ROOTS, dotted, import_map, module_name, normalise, resolve


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


@dataclass
class CallSite:
    path: str
    line: int
    func: str  # qualified name of what is called
    in_add_view: bool
    model_qual: str | None
    positional: int
    keywords: list[str]


@dataclass
class ModuleInfo:
    path: str
    modname: str
    is_pkg: bool
    imap: dict[str, str]
    local_defs: list[str]
    classes: list[ClassInfo] = field(default_factory=list)
    calls: list[CallSite] = field(default_factory=list)


def local_definitions(module: cst.Module) -> set[str]:
    out: set[str] = set()
    for stmt in module.body:
        if isinstance(stmt, (cst.ClassDef, cst.FunctionDef)):
            out.add(stmt.name.value)
        elif isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.Assign):
                    for t in small.targets:
                        if isinstance(t.target, cst.Name):
                            out.add(t.target.value)
                elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                    out.add(small.target.value)
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


def scan_module(path: Path, module: cst.Module) -> ModuleInfo:
    modname, is_pkg = module_name(path)
    imap = import_map(module, modname, is_pkg)
    defs = local_definitions(module)
    info = ModuleInfo(str(path), modname, is_pkg, imap, sorted(defs))
    wrapper = cst.MetadataWrapper(module, unsafe_skip_copy=True)
    positions = wrapper.resolve(cst.metadata.PositionProvider)

    for stmt in module.body:
        if isinstance(stmt, cst.ClassDef):
            attrs, methods, others = class_body(stmt)
            bases = [resolve(a.value, imap, modname, defs) for a in stmt.bases]
            info.classes.append(ClassInfo(
                f"{modname}.{stmt.name.value}", modname, str(path), stmt.name.value,
                positions[stmt].start.line, bases, len(stmt.keywords), attrs, methods, others))

    class Calls(cst.CSTVisitor):
        def __init__(self) -> None:
            super().__init__()
            self.inside: set[int] = set()

        def visit_Call(self, node: cst.Call) -> None:
            func = node.func
            if (isinstance(func, cst.Attribute) and func.attr.value == "add_view"
                    and len(node.args) == 1 and isinstance(node.args[0].value, cst.Call)):
                self.inside.add(id(node.args[0].value))
            q = resolve(func, imap, modname, defs)
            if q is None:
                return
            pos = [a for a in node.args if a.keyword is None and not a.star]
            kws = [a.keyword.value if a.keyword else "*" for a in node.args
                   if a.keyword is not None or a.star]
            model = resolve(pos[0].value, imap, modname, defs) if pos else None
            info.calls.append(CallSite(str(path), positions[node].start.line, q,
                                       id(node) in self.inside, model, len(pos), kws))

    wrapper.module.visit(Calls())
    return info


def _own_reasons(c: ClassInfo) -> list[tuple[str, str]]:
    """(short, detailed) reasons a class cannot become native by itself."""
    renames = translation.renames()
    why = []
    for a in c.attrs:
        if a in renames or a == "model":
            continue
        row = translation.BY_NAME.get(a)
        if row is not None:
            detail = row.note or (f"-> {row.native}" if row.native else "")
            why.append((f"{row.kind} row {a}",
                        f"{a} is a '{row.kind}' row of the translation table"
                        + (f" ({detail})" if detail else "")))
        else:
            why.append((f"attribute {a} not in the table", f"{a} is not in the translation table"))
    for m in c.methods:
        hook = translation.HOOKS_BY_NAME.get(m)
        if hook is not None:
            why.append((f"hook {m}()", f"hook {m}() has another native signature: "
                        f"{hook.native} {hook.note}"))
        else:
            why.append((f"method {m}()",
                        f"method {m}() has no native equivalent in the translation table"))
    for o in c.others:
        why.append((f"class statement {o}", f"class body statement ({o}) is not translated"))
    if len(c.bases) != 1 or c.extra_base_args:
        why.append(("several bases",
                    "more than one base class (or class keywords): mixins are not checked"))
    return why


def plan(modules: list[ModuleInfo]) -> dict[str, Any]:
    """{"convert": {qual: {...}}, "left": {qual: reason}, "classes": {qual: ClassInfo dict}}."""
    classes = {c.qual: c for m in modules for c in m.classes}
    by_mod = {m.modname: m for m in modules}
    family: set[str] = set()
    grew = True
    while grew:
        grew = False
        for c in classes.values():
            if c.qual not in family and any(b in MODELVIEW_ROOTS or b in family
                                            for b in c.bases if b):
                family.add(c.qual)
                grew = True
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
            if not s.in_add_view:
                why.append(("instantiated outside add_view()",
                            f"instantiated outside admin.add_view() at {s.path}:{s.line}"))
            elif s.positional != 2 or s.keywords:
                why.append(("add_view() passes more than (model, session)",
                            f"admin.add_view({c.name}(...)) at {s.path}:{s.line} passes more "
                            "than (model, session)"))
            elif s.model_qual is None:
                why.append(("model not resolvable",
                            f"the model at {s.path}:{s.line} cannot be resolved statically"))
        found = {s.model_qual for s in sites if s.in_add_view and s.model_qual}
        if len(found) > 1:
            why.append(("several models",
                        "registered with several models: " + ", ".join(sorted(found))))
        if not sites and not children[q]:
            why.append(("no add_view() call site",
                        "no admin.add_view(" + c.name + "(Model, session)) call site found"))
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
                            f"the model name {mname} is bound to something else in {c.module}"))
            else:
                models[q] = {"model": mname, "import": [mmod, mname]}
        reasons[q] = why

    convert: dict[str, Any] = {}
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
                convert[q] = {"model": models.get(q, {}).get("model"),
                              "import": models.get(q, {}).get("import"),
                              "rebase": any(b in MODELVIEW_ROOTS for b in c.bases)}
            elif reasons[q]:
                left[q] = "; ".join(long for _, long in reasons[q])
                short[q] = ", ".join(dict.fromkeys(s for s, _ in reasons[q]))
            else:
                left[q] = short[q] = ("shares its inheritance chain with "
                                      + ", ".join(classes[b].name for b in bad)
                                      + ", which stays on compat")
    return {"convert": convert, "left": left, "left_short": short,
            "classes": {q: asdict(classes[q]) for q in sorted(family)}}


def module_of(plan_: dict[str, Any], modname: str) -> tuple[dict[str, Any], dict[str, str]]:
    """The plan's convert entries and short left reasons for classes defined in `modname`."""
    conv = {q: v for q, v in plan_.get("convert", {}).items() if q.rpartition(".")[0] == modname}
    left = {q: v for q, v in plan_.get("left_short", {}).items()
            if q.rpartition(".")[0] == modname}
    return conv, left


__all__ = ["ClassInfo", "CallSite", "ModuleInfo", "dotted", "module_of", "plan", "scan_module"]
