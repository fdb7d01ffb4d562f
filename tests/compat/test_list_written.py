"""The compat list page's header and rows written in Python (`list_links.header_html`,
`CellOpenings.write`, from `fasthx_core.rows_html.ListRows`) give the markup of the template's
own blocks: each page is rendered as served and again with the rows plan refused (what a
template extending ``admin/model/list.html`` gets), and the two may differ only in whitespace
between tags and the CSRF token."""

from __future__ import annotations

import re

import pytest
from markupsafe import Markup

import fasthx_core.rendering as rendering
from flask_admin_compat.contrib.sqla import ModelView
from flask_admin_compat.model.template import LinkRowAction

from .models import User

original = rendering.rows_plan


def normalized(html: str) -> str:
    html = re.sub(r'(name="csrf_token" value=|"X-CSRF-Token": )"[^"]*"', r"\1-", html)
    return re.sub(r"\s+", " ", re.sub(r">\s+", ">", re.sub(r"\s+<", "<", html)))


class Described(ModelView):
    """Descriptions, labels to escape, formatters, inline editing, details, modals and a link
    action: every piece of the header and of a row."""

    can_view_details = True
    details_modal = True
    column_descriptions = {"name": 'The "login" <name>', "email": "Where we write"}
    column_labels = {"email": "E-mail & co"}
    column_editable_list = ("email",)
    column_formatters = {"name": lambda v, c, m, p: Markup("<b>{}</b>").format(m.name)}
    column_extra_row_actions = [LinkRowAction("fa fa-star", "/star/{row_id}?a&b", "Star")]


@pytest.mark.parametrize("query", ["", "?sort=1", "?sort=0&desc=1&page=1", "?search=user1",
                                   "?search=nobody"])
def test_header_and_rows_match_the_templates_blocks(make_admin, db, monkeypatch, query):
    with db.begin_nested():
        db.get(User, 1).email = 'a&b"<c>@example.org'
    db.commit()
    _, client = make_admin(Described(User, db))
    plans = []
    with monkeypatch.context() as patch:  # the page as served: its rows are written in Python
        patch.setattr(rendering, "rows_plan", lambda view, template: plans.append(
            planned := original(view, template)) or planned)
        served = client.get("/admin/user/" + query)
    assert served.status_code == 200 and plans and plans[0] is not None
    with monkeypatch.context() as patch:
        patch.setattr(rendering, "rows_plan", lambda view, template: None)
        blocks = client.get("/admin/user/" + query)
    assert normalized(served.text) == normalized(blocks.text)
    assert 'title="The &#34;login&#34; &lt;name&gt;"' in served.text
