"""Flask-Admin's ``flask_admin.form.rules``: form layout rules.

`FieldSet` becomes a form section (an accordion panel); plain field names and `Field` keep
their order; `Text`, `HTML`, `Header` and `Macro` render in place; `Container` renders its
macro around its fields (whose ``caller()`` gives their HTML).
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape


class BaseRule:
    def __init__(self) -> None:
        self.parent: Any = None

    def field_names(self) -> list[str]:
        return []


class NestedRule(BaseRule):
    def __init__(self, rules: Any = (), separator: str = "") -> None:
        super().__init__()
        self.rules = list(rules)
        self.separator = separator

    def field_names(self) -> list[str]:
        names: list[str] = []
        for rule in self.rules:
            if isinstance(rule, str):
                names.append(rule)
            elif isinstance(rule, BaseRule):
                names.extend(rule.field_names())
        return names


class Text(BaseRule):
    """Text between fields (escaped unless ``escape=False``)."""

    fasthx_block = True

    def __init__(self, text: str, escape: bool = True) -> None:
        super().__init__()
        self.text, self.escape = text, escape

    def __html__(self) -> str:
        body = escape(self.text) if self.escape else Markup(self.text)
        return Markup('<div class="mb-3">{}</div>').format(body)


class HTML(Text):
    """Raw HTML between fields (the view's own markup, not user data)."""

    def __init__(self, html: str) -> None:
        super().__init__(html, escape=False)


class Macro(BaseRule):
    """A Jinja macro rendered in place: ``Macro("lib.render_header", text="...")`` or a macro
    of a module the view's form template imports (see `flask_admin_compat.form.macros`)."""

    fasthx_block = True

    def __init__(self, macro_name: str, **kwargs: Any) -> None:
        super().__init__()
        self.macro_name, self.default_args = macro_name, kwargs

    def __html__(self) -> str:
        from .macros import call

        return call(self.macro_name, **self.default_args)


class Container(Macro):
    """A macro wrapped around its child rule's fields: the macro's ``caller()`` renders them."""

    fasthx_block = False  # not a block by itself: bound to its fields when the form renders

    def __init__(self, macro_name: str, child_rule: Any, **kwargs: Any) -> None:
        super().__init__(macro_name, **kwargs)
        self.child_rule = child_rule

    def field_names(self) -> list[str]:
        if isinstance(self.child_rule, str):
            return [self.child_rule]
        return self.child_rule.field_names() if isinstance(self.child_rule, BaseRule) else []

    @property
    def fasthx_wraps(self) -> list[str]:
        """The fields it wraps (the engine hands them to `bind`)."""
        return self.field_names()

    def bind(self, fields: list[Any]) -> Any:
        return _BoundContainer(self, fields)


class _BoundContainer:
    """A `Container` with its form's fields: renders the macro around them."""

    fasthx_block = True

    def __init__(self, rule: Container, fields: list[Any]) -> None:
        self.rule, self.fields = rule, fields

    def __html__(self) -> str:
        from .macros import call, render_field

        def caller(**_: Any) -> Markup:
            return Markup("").join(render_field(f) for f in self.fields)

        return call(self.rule.macro_name, caller=caller, **self.rule.default_args)


class Field(Macro):
    fasthx_block = False  # a field: rendered by the engine like any other

    def __init__(self, field_name: str, render_field: str = "lib.render_field") -> None:
        super().__init__(render_field)
        self.field_name = field_name

    def field_names(self) -> list[str]:
        return [self.field_name]


class Header(Macro):
    fasthx_block = True

    def __init__(self, text: str, header_macro: str = "lib.render_header") -> None:
        super().__init__(header_macro, text=text)
        self.text = text

    def __html__(self) -> str:
        return Markup('<h3 class="h5 mt-3 mb-2">{}</h3>').format(self.text)


class FieldSet(NestedRule):
    def __init__(self, rules: Any, header: str | None = None, separator: str = "") -> None:
        super().__init__(rules, separator)
        self.header = header


class Row(NestedRule):
    def __init__(self, *columns: Any, **kw: Any) -> None:
        super().__init__(columns)


class Group(Macro):
    fasthx_block = False

    def __init__(self, field_name: str, prepend: Any = None, append: Any = None,
                 **kwargs: Any) -> None:
        super().__init__("lib.render_field_with_group", **kwargs)
        self.field_name, self.prepend, self.append = field_name, prepend, append

    def field_names(self) -> list[str]:
        return [self.field_name]
