"""``flask_admin.contrib.sqla.filters``: Flask-Admin's filter classes.

A filter object in ``column_filters`` makes its column filterable with the operations of its
type (the engine's typed filters, see `fasthx_core.filters`).  Subclasses that override
``apply`` with custom SQL are not run yet: the column gets the standard operations and a
warning names the class.
"""

from __future__ import annotations

from typing import Any


class BaseSQLAFilter:
    """``(column, name, options=None, data_type=None)`` as in Flask-Admin."""

    operation_name = "equals"

    def __init__(self, column: Any, name: str, options: Any = None,
                 data_type: Any = None) -> None:
        self.column, self.name, self.options, self.data_type = column, name, options, data_type

    def operation(self) -> str:
        return self.operation_name

    def apply(self, query: Any, value: Any, alias: Any = None) -> Any:
        raise NotImplementedError

    def clean(self, value: Any) -> Any:
        return value

    def fasthx_filter(self, model: type) -> Any:
        """This filter as the engine's FilterDef: the column's typed filter restricted to this
        operation, or, when a subclass overrides `apply`, that custom SQL."""
        from dataclasses import replace

        from fasthx_core.columns import resolve
        from fasthx_core.filters import build_filter

        from ...bridge import attr_key

        fdef = build_filter(resolve(model, attr_key(model, self.column)), str(self.name))
        op = _CORE_OPS.get(self.operation().lower(), "equals")
        if type(self).apply is not BaseSQLAFilter.apply:
            return replace(fdef, kind="custom", ops=(op,), parse_one=str, choices=None,
                           apply=lambda stmt, value: self.apply(stmt, self.clean(value)))
        if op not in fdef.ops:
            op = fdef.ops[0]
        return replace(fdef, ops=(op,))


# Flask-Admin's operation text -> the engine's operation name
_CORE_OPS = {"equals": "equals", "not equal": "not_equal", "contains": "contains",
             "not contains": "not_contains", "greater than": "greater",
             "smaller than": "smaller", "empty": "empty", "in list": "in_list",
             "not in list": "not_in_list", "between": "between", "not between": "not_between"}


# Flask-Admin class name -> the operation it stands for (data, not branches).
_OPERATIONS = {
    "FilterEqual": "equals", "FilterNotEqual": "not equal", "FilterLike": "contains",
    "FilterNotLike": "not contains", "FilterGreater": "greater than",
    "FilterSmaller": "smaller than", "FilterEmpty": "empty", "FilterInList": "in list",
    "FilterNotInList": "not in list", "BooleanEqualFilter": "equals",
    "BooleanNotEqualFilter": "not equal", "IntEqualFilter": "equals",
    "IntNotEqualFilter": "not equal", "IntGreaterFilter": "greater than",
    "IntSmallerFilter": "smaller than", "IntInListFilter": "in list",
    "IntNotInListFilter": "not in list", "FloatEqualFilter": "equals",
    "FloatNotEqualFilter": "not equal", "FloatGreaterFilter": "greater than",
    "FloatSmallerFilter": "smaller than", "FloatInListFilter": "in list",
    "FloatNotInListFilter": "not in list", "DateEqualFilter": "equals",
    "DateNotEqualFilter": "not equal", "DateGreaterFilter": "greater than",
    "DateSmallerFilter": "smaller than", "DateBetweenFilter": "between",
    "DateNotBetweenFilter": "not between", "DateTimeEqualFilter": "equals",
    "DateTimeNotEqualFilter": "not equal", "DateTimeGreaterFilter": "greater than",
    "DateTimeSmallerFilter": "smaller than", "DateTimeBetweenFilter": "between",
    "DateTimeNotBetweenFilter": "not between", "TimeEqualFilter": "equals",
    "TimeNotEqualFilter": "not equal", "TimeGreaterFilter": "greater than",
    "TimeSmallerFilter": "smaller than", "TimeBetweenFilter": "between",
    "TimeNotBetweenFilter": "not between", "EnumEqualFilter": "equals",
    "EnumFilterNotEqual": "not equal", "EnumFilterEmpty": "empty",
    "EnumFilterInList": "in list", "EnumFilterNotInList": "not in list",
    "ChoiceTypeEqualFilter": "equals", "ChoiceTypeNotEqualFilter": "not equal",
    "ChoiceTypeLikeFilter": "contains", "ChoiceTypeNotLikeFilter": "not contains",
    "UuidFilterEqual": "equals", "UuidFilterNotEqual": "not equal",
    "UuidFilterInList": "in list", "UuidFilterNotInList": "not in list",
}

for _name, _op in _OPERATIONS.items():
    globals()[_name] = type(_name, (BaseSQLAFilter,), {"operation_name": _op,
                                                       "__module__": __name__})

__all__ = ["BaseSQLAFilter", *_OPERATIONS]
