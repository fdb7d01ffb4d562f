"""The compat list page writes its rows without entering the per-row blocks (and fills each row's
id into buttons rendered once) unless a template extending ``admin/model/list.html`` overrides
``list_row``, ``list_row_actions_column`` or ``list_row_actions``; then the blocks run as in
Flask-Admin.  Both ways give the same markup."""

from __future__ import annotations

import re
from urllib.parse import quote, quote_plus, urlencode

import pytest
from markupsafe import Markup, escape

from flask_admin_compat import list_links
from flask_admin_compat.contrib.sqla import ModelView
from flask_admin_compat.list_links import CellOpenings, RowHtml, encode_query
from flask_admin_compat.model.template import LinkRowAction

from .models import User


class Full(ModelView):
    """Every per-row feature of the list: details, modals, inline editing, an extra action."""

    can_view_details = True
    details_modal = True
    edit_modal = True
    column_editable_list = ("name",)
    column_extra_row_actions = [LinkRowAction("fa fa-star", "/star/{row_id}", "Star")]


def _folder(tmp_path, name: str, body: str):
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text("{% extends 'admin/model/list.html' %}\n" + body)
    return folder


def _tbody(html: str) -> str:
    body = html[html.index('<tbody id="table-body">'):html.index("</tbody>")]
    body = re.sub(r"\s+", " ", body)
    return re.sub(r">\s+<", "><", body)


@pytest.mark.parametrize("block", ["list_row", "list_row_actions_column", "list_row_actions"])
def test_an_override_calling_super_gives_the_same_rows(make_admin, db, tmp_path, block):
    folder = _folder(tmp_path, "same.html",
                     f"{{% block {block} %}}{{{{ super() }}}}{{% endblock %}}")

    class Same(Full):
        list_template = "same.html"

    _, client = make_admin(Full(User, db), Same(User, db, endpoint="same"),
                           template_folders=[str(folder)])
    plain = _tbody(client.get("/admin/user/?page=1").text)
    blocks = _tbody(client.get("/admin/same/?page=1").text)
    assert plain.count("<tr id=") == 10 and "fx-editable" in plain
    assert blocks == plain.replace("/admin/user/", "/admin/same/") \
        .replace("%2Fadmin%2Fuser%2F", "%2Fadmin%2Fsame%2F")


def test_default_rows_are_filled_in_and_overrides_run_the_blocks(make_admin, db, tmp_path,
                                                                 monkeypatch):
    folder = _folder(tmp_path, "custom.html", (
        "{% block list_row_actions %}<a class=\"mine\" href=\"{{ get_url('.edit_view', "
        "id=get_pk_value, url=return_url) }}\">row {{ row.id }}</a>{{ super() }}"
        "{% endblock %}"))

    class Custom(Full):
        list_template = "custom.html"

    filled = []
    original = RowHtml.__call__

    def spy(self, item_id):
        filled.append(item_id)
        return original(self, item_id)

    monkeypatch.setattr(RowHtml, "__call__", spy)
    _, client = make_admin(Full(User, db), Custom(User, db, endpoint="custom"),
                           template_folders=[str(folder)])
    page = client.get("/admin/user/").text
    assert len(filled) == page.count('<tr id="row-') == 20  # one substitution per row
    ids = re.findall(r'<tr id="row-(\d+)"', page)
    for item_id in ids:
        assert (f'href="/admin/user/edit/?id={item_id}&amp;url=%2Fadmin%2Fuser%2F" '
                f'hx-get="/admin/user/edit/?id={item_id}&amp;url=%2Fadmin%2Fuser%2F'
                f'&amp;modal=True"') in page
        assert f'href="/admin/user/details/?id={item_id}&amp;url=' in page
        assert f'hx-post="/admin/user/delete/?id={item_id}"' in page
        assert f'href="/star/{item_id}"' in page
    assert page.count('class="col-name" data-col="name"') == 20
    assert page.count('hx-trigger="dblclick') + page.count("fx-editable") >= 20

    filled.clear()
    custom = client.get("/admin/custom/").text
    assert filled == []  # the blocks ran
    mine = re.findall(r'<a class="mine" href="([^"]+)">row (\d+)</a>', custom)
    assert len(mine) == 20
    assert mine[0] == ("/admin/custom/edit/?id=1&amp;url=%2Fadmin%2Fcustom%2F", "1")
    assert custom.count('hx-post="/admin/custom/delete/?id=') == 20


def test_an_empty_list_shows_its_message_either_way(make_admin, db, tmp_path):
    folder = _folder(tmp_path, "empty.html",
                     "{% block list_row %}{{ super() }}{% endblock %}"
                     "{% block empty_list_message %}nothing here{% endblock %}")

    class Searchable(Full):
        column_searchable_list = ("name",)

    class Empty(Searchable):
        list_template = "empty.html"

    _, client = make_admin(Searchable(User, db), Empty(User, db, endpoint="empty"),
                           template_folders=[str(folder)])
    assert "There are no items in the table." in client.get("/admin/user/?search=zzz").text
    assert "nothing here" in client.get("/admin/empty/?search=zzz").text
    assert client.get("/admin/user/?search=user1").text.count('<tr id="row-') == 10


@pytest.mark.parametrize("values", [
    {"id": "7", "url": "/admin/user/?search=a b&sort=1"},
    {"id": 7, "flag": True, "none": None, "bytes": b"a b", "empty": ""},
    {"multi": ["a", "b c"], "nothing": [], "tuple": (1, 2), "é": "ü/&"},
])
@pytest.mark.parametrize("doseq", [True, False])
def test_encode_query_is_urlencode(values, doseq):
    assert encode_query(values, doseq) == urlencode(values, doseq)
    assert encode_query(list(values.items()), doseq) == urlencode(list(values.items()), doseq)


@pytest.mark.parametrize("item_id", ["1", "a b", "x&y=z", "é/%+", "~2E", ""])
def test_row_html_substitutes_only_what_renders_the_same(item_id):
    def quoted(rid):
        return Markup('<a href="/e/?id=%s&amp;u=%%2F">e</a>') % quote_plus(str(rid))

    def raw(rid):  # the id HTML-escaped as it is: substitution would be wrong
        return Markup("<td>%s</td><a href='/d/?id=%s'></a>") % (rid, quote_plus(str(rid)))

    def path_quoted(rid):  # quoted another way (``%20``, ``/`` kept)
        return Markup('<a href="/e/%s">e</a>') % quote(str(rid))

    def constant(rid):
        return Markup('<a href="/new/">new</a>')

    for render, substitutes in [(quoted, True), (constant, True), (raw, False),
                                (path_quoted, False)]:
        piece = RowHtml(render)
        assert (piece._parts is not None) is substitutes
        assert piece(item_id) == render(item_id)


def test_flask_admin_urls_row_pages_quote_like_urlencode(make_admin, db):
    admin, _ = make_admin(Full(User, db))
    urls = next(v for v in admin.core.views.values() if getattr(v, "fa", None)).urls
    for item_id in ["1", "a b", "x&y=z", "é/%+"]:
        for method, action in [("edit", "edit"), ("delete", "delete"), ("detail", "details")]:
            assert getattr(urls, method)(item_id) == urls._page(action, id=item_id)
            assert getattr(urls, method)(item_id).endswith("?" + urlencode({"id": item_id}))


def test_cell_openings_are_escaped_once_per_key():
    openings = CellOpenings()
    assert openings["name"] == '<td class="col-name" data-col="name">'
    assert openings['a"b'] == f'<td class="col-{escape(chr(97) + chr(34) + "b")}" ' \
        f'data-col="{escape(chr(97) + chr(34) + "b")}">'
    assert openings["name"] is openings["name"]
    assert list_links.quote_value("a b") == "a+b"
