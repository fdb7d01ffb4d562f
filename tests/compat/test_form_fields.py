"""``flask_admin_compat.form.fields`` against Flask-Admin's own fields: the same form posts give
the same data, the same validation and the same redisplayed values."""

from __future__ import annotations

import flask_admin.form.fields as theirs
import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form

import flask_admin_compat.form.fields as ours
from flask_admin_compat.form import Select2Field, Select2TagsField

CHOICES = [("draft", "Draft"), ("live", "Live")]


def form_of(fields, **field_kwargs):
    class F(Form):
        status = fields.Select2Field("Status", choices=CHOICES, **field_kwargs)
        tags = fields.Select2TagsField("Tags")
        tag_list = fields.Select2TagsField("Tag list", save_as_list=True)
        numbers = fields.Select2TagsField("Numbers", save_as_list=True, coerce=int)

    return F


def outcome(fields, post, obj=None, **field_kwargs):
    form = form_of(fields, **field_kwargs)(MultiDict(post) if post is not None else None,
                                             obj=obj)
    ok = form.validate() if post is not None else None
    return (ok, {k: v for k, v in form.data.items()},
            {k: form[k]._value() for k in ("tags", "tag_list", "numbers")},
            [(c[0], c[2]) for c in form.status.iter_choices()],
            {k: list(v) for k, v in form.errors.items()})


POSTS = [
    {"status": "live", "tags": "a, b,c", "tag_list": "a, b,,c ", "numbers": "1, 2"},
    {"status": "__None", "tags": "", "tag_list": "", "numbers": ""},
    {"status": "gone", "tags": "x", "tag_list": "x", "numbers": "3"},
    {"tags": "only"},
    {"status": "draft", "tags": "a,a", "tag_list": "a, a, b", "numbers": "7,7,x"},
]


@pytest.mark.parametrize("post", POSTS)
@pytest.mark.parametrize("allow_blank", [False, True])
def test_posts_give_what_flask_admin_gives(post, allow_blank):
    assert outcome(ours, post, allow_blank=allow_blank) == \
        outcome(theirs, post, allow_blank=allow_blank)


def test_stored_values_redisplay_as_in_flask_admin():
    class Row:
        status = None
        tags = "red,green"
        tag_list = ["red", "green"]
        numbers = [4, 5]

    assert outcome(ours, None, obj=Row(), allow_blank=True) == \
        outcome(theirs, None, obj=Row(), allow_blank=True)


def test_the_form_package_names_the_same_classes():
    assert Select2Field is ours.Select2Field and Select2TagsField is ours.Select2TagsField
