"""Column references: turn a configured key (``"name"``, ``"site.name"``, ``"tags"``) into
something the list, search, sort, filter and export code can use without knowing the mapper.

A `ColumnRef` knows the relationship path it crosses, the final SQL expression (when there is
one), how to read its value from a loaded object, and which eager-load options make reading it
free of extra queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import types as sat
from sqlalchemy.orm import (
    ColumnProperty,
    Mapper,
    RelationshipProperty,
    joinedload,
    selectinload,
)
from sqlalchemy.orm.interfaces import LoaderOption


class ConfigError(Exception):
    """A view's configuration names something the model does not have (raised at start-up)."""


def humanize(key: str) -> str:
    """``"customer.display_name"`` -> ``"Customer Display Name"``."""
    return " ".join(part.replace("_", " ").strip().title() for part in key.split("."))


@dataclass(frozen=True)
class ColumnRef:
    key: str
    model: type
    path: tuple[RelationshipProperty, ...] = ()
    prop: ColumnProperty | RelationshipProperty | None = None
    attr_name: str = ""

    @property
    def is_relation(self) -> bool:
        return isinstance(self.prop, RelationshipProperty)

    @property
    def is_column(self) -> bool:
        return isinstance(self.prop, ColumnProperty)

    @property
    def crosses_many(self) -> bool:
        """True when some relationship on the path is to-many (the value is a collection)."""
        rels = list(self.path) + ([self.prop] if self.is_relation else [])
        return any(r.uselist for r in rels)

    @cached_property
    def column(self) -> Any:
        """The mapped Column (for type checks), or None for relationships/properties."""
        if self.is_column and self.prop is not None:
            return self.prop.columns[0]
        return None

    @cached_property
    def sa_type(self) -> sat.TypeEngine | None:
        col = self.column
        if col is None:
            return None
        t = col.type
        if isinstance(t, sat.TypeDecorator) and hasattr(t, "impl_instance"):
            return t.impl_instance
        return t

    @cached_property
    def owner(self) -> type:
        """The class holding the final attribute (the model itself for plain columns)."""
        return self.path[-1].mapper.class_ if self.path else self.model

    @cached_property
    def expression(self) -> Any:
        """The final attribute on its owning class (use inside `where` for dotted keys)."""
        return getattr(self.owner, self.attr_name)

    @property
    def is_string(self) -> bool:
        t = self.sa_type
        return isinstance(t, sat.String) and not isinstance(t, sat.Enum)

    @property
    def is_enum(self) -> bool:
        return isinstance(self.sa_type, sat.Enum)

    def get_value(self, obj: Any) -> Any:
        """Read the value from a loaded object; None anywhere on the path gives None."""
        value = obj
        for rel in self.path:
            value = getattr(value, rel.key, None)
            if value is None:
                return None
            if rel.uselist:
                return [getattr(v, self.attr_name, None) for v in value]
        return getattr(value, self.attr_name, None)

    def loader_option(self) -> LoaderOption | None:
        """Eager-load option for displaying this column: joined for to-one, selectin for to-many."""
        rels = list(self.path) + ([self.prop] if self.is_relation else [])
        if not rels:
            return None
        opt: Any = None
        for rel in rels:
            attr = getattr(rel.parent.class_, rel.key)
            loader = selectinload if rel.uselist else joinedload
            opt = loader(attr) if opt is None else (
                opt.selectinload(attr) if rel.uselist else opt.joinedload(attr))
        return opt

    def where(self, condition_on_expression: Any) -> Any:
        """Wrap a condition on `expression` in EXISTS clauses along the path (never fans out)."""
        cond = condition_on_expression
        for rel in reversed(self.path):
            attr = getattr(rel.parent.class_, rel.key)
            cond = attr.any(cond) if rel.uselist else attr.has(cond)
        return cond


def resolve(model: type, key: str) -> ColumnRef:
    """Resolve a key on a model; raises ConfigError naming the key when it does not exist."""
    mapper: Mapper = sa_inspect(model)
    parts = key.split(".")
    path: list[RelationshipProperty] = []
    for part in parts[:-1]:
        rel = mapper.relationships.get(part)
        if rel is None:
            raise ConfigError(f"{model.__name__}: {key!r}: {part!r} is not a relationship")
        path.append(rel)
        mapper = rel.mapper
    last = parts[-1]
    prop = mapper.attrs.get(last) if last in mapper.attrs else None
    if prop is None and not hasattr(mapper.class_, last):
        raise ConfigError(f"{model.__name__}: {key!r}: no attribute {last!r}")
    if prop is not None and not isinstance(prop, ColumnProperty | RelationshipProperty):
        prop = None
    return ColumnRef(key=key, model=model, path=tuple(path), prop=prop, attr_name=last)


def default_list_keys(model: type) -> list[str]:
    """Every column attribute in mapper order, with FK columns shown as their relationship."""
    mapper: Mapper = sa_inspect(model)
    fk_to_rel: dict[str, str] = {}
    for rel in mapper.relationships:
        if rel.direction.name == "MANYTOONE":
            for col in rel.local_columns:
                fk_to_rel.setdefault(col.key, rel.key)
    keys: list[str] = []
    for prop in mapper.column_attrs:
        key = fk_to_rel.get(prop.columns[0].key, prop.key)
        if key not in keys:
            keys.append(key)
    return keys
