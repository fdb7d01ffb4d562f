"""Flask-Admin's ``flask_admin.form.rules``: form layout rules.

`FieldSet` becomes a form section (an accordion panel); plain field names and `Field` keep
their order.  Text-like rules are kept as objects so views import and build unchanged.
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
    def __init__(self, macro_name: str, **kwargs: Any) -> None:
        super().__init__()
        self.macro_name, self.default_args = macro_name, kwargs


class Container(Macro):
    def __init__(self, macro_name: str, child_rule: Any, **kwargs: Any) -> None:
        super().__init__(macro_name, **kwargs)
        self.child_rule = child_rule

    def field_names(self) -> list[str]:
        if isinstance(self.child_rule, str):
            return [self.child_rule]
        return self.child_rule.field_names() if isinstance(self.child_rule, BaseRule) else []


class Field(Macro):
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
    def __init__(self, field_name: str, prepend: Any = None, append: Any = None,
                 **kwargs: Any) -> None:
        super().__init__("lib.render_field_with_group", **kwargs)
        self.field_name, self.prepend, self.append = field_name, prepend, append

    def field_names(self) -> list[str]:
        return [self.field_name]
