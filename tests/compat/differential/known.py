"""Every intentional difference between Flask-Admin and flask_admin_compat the suite meets.

(feature, check) -> reason.  A check listed here that disagrees is recorded and reported as a
known difference (xfail with this reason); a listed check that agrees fails the suite, so the
table never outlives the difference.  Anything not listed must agree.
"""

NULLS_LAST = ("the engine sorts empty (NULL) values last in both directions on every database; "
              "Flask-Admin leaves it to the database (SQLite: first when ascending)")

NEGATION_KEEPS_EMPTY = (
    "negative filters (not equal, not contains, not between) also list rows whose column is "
    "empty; Flask-Admin's plain SQL (col != x) drops them, as NULL compares as unknown")

UNKNOWN_ACTION = ("a post naming an unknown or disallowed action is answered with 'Unknown "
                  "action.'; Flask-Admin ignores it without a word")

KNOWN: dict[tuple[str, str], str] = {
    ("listing", "sort by date with NULLs"): NULLS_LAST,
    ("listing", "sort by enum values"): NULLS_LAST,
    ("listing", "sort by related name (sortable tuple)"): NULLS_LAST,
    ("listing", "page beyond the last"): (
        "a page past the end shows the last page (a bookmark kept after deletions still shows "
        "rows); Flask-Admin shows an empty table"),
    ("search", "underscore as a wildcard"): (
        "search words are matched literally; Flask-Admin passes them into LIKE unescaped, so "
        "'_' and '%' act as wildcards"),
    ("forms", "fields: enum option labels"): (
        "an enum select labels its options by value, title-cased ('Tool'); Flask-Admin shows "
        "the member name ('TOOL') and submits it; the engine submits the value and accepts either"),
    ("actions", "disallowed action: messages"): UNKNOWN_ACTION,
    ("actions", "unknown action: messages"): UNKNOWN_ACTION,
    ("actions", "delete refused by is_action_allowed: messages"): UNKNOWN_ACTION,
    ("actions", "no rows selected: messages"): (
        "a post selecting no rows is refused with 'No rows selected.'; Flask-Admin runs the "
        "action on an empty list (its page never sends one: its script asks to select first)"),
    ("formatters", "column_choices cells"): (
        "an empty value in a column with column_choices goes through the None type formatter "
        "(here typefmt.null_formatter: 'NULL'); Flask-Admin prints 'None'"),
    ("filters", "string not equal (nullable column)"): NEGATION_KEEPS_EMPTY,
    ("filters", "string not contains (nullable column)"): NEGATION_KEEPS_EMPTY,
    ("filters", "date not equal (nullable)"): NEGATION_KEEPS_EMPTY,
    ("filters", "date not between (nullable)"): NEGATION_KEEPS_EMPTY,
    ("filters", "enum not equal (nullable)"): NEGATION_KEEPS_EMPTY,
    ("filters", "relation: related country empty"): (
        "a filter on a related column tests the related row (EXISTS): a product without a "
        "maker has no maker's country; Flask-Admin's outer join counts it as empty"),
}
