"""A page whose template defines macros is freed as soon as it is written: the macros refer to
the render's context, which holds them, and that cycle would otherwise keep the request, the
rows and their session alive until the garbage collector runs (at a cost to every request)."""

from __future__ import annotations

import gc
import weakref

import jinja2
import pytest

from fasthx_core.templating import render_template


class Payload:
    """Something a page shows; a weak reference tells whether the render still holds it."""

    name = "payload"


# the macro reads a page variable (``mark``), so it refers to the render's context
TEMPLATE = """{% macro shout(text) %}{{ text|upper }}{{ mark }}{% endmacro %}\
<p>{{ shout(item.name) }}</p>"""


@pytest.fixture
def no_collector():
    gc.collect()
    gc.disable()
    yield
    gc.enable()


def test_render_template_writes_the_same_page_as_render() -> None:
    template = jinja2.Environment(autoescape=True).from_string(TEMPLATE)
    assert render_template(template, {"item": Payload(), "mark": "!"}) == \
        template.render(item=Payload(), mark="!") == "<p>PAYLOAD!</p>"


def test_a_page_with_macros_is_freed_without_the_garbage_collector(no_collector) -> None:
    template = jinja2.Environment(autoescape=True).from_string(TEMPLATE)
    item = Payload()
    ref = weakref.ref(item)
    render_template(template, {"item": item})
    del item
    assert ref() is None


def test_jinjas_own_render_leaves_that_cycle(no_collector) -> None:
    """Why `render_template` exists: with ``Template.render`` the page outlives its render."""
    template = jinja2.Environment(autoescape=True).from_string(TEMPLATE)
    item = Payload()
    ref = weakref.ref(item)
    template.render(item=item)
    del item
    assert ref() is not None
    gc.collect()
    assert ref() is None


def test_errors_keep_their_template_traceback(tmp_path) -> None:
    (tmp_path / "bad.html").write_text("<p>\n{{ 1 // 0 }}</p>")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)))
    with pytest.raises(ZeroDivisionError) as info:
        render_template(env.get_template("bad.html"), {})
    last = info.traceback[-1]
    assert (str(last.path), last.lineno + 1) == (str(tmp_path / "bad.html"), 2)
