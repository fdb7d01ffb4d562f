"""Compat lists page by keyset too: Flask-Admin's 0-based ``page`` plus the core's ``after``
position in the "next" link, with the same rows as the numbered page (SQLite, PostgreSQL,
MariaDB)."""

from __future__ import annotations

import re

from flask_admin_compat.contrib.sqla import ModelView

from .models import User

ROW = re.compile(r'name="rowid" value="(\d+)"|name="ids" value="(\d+)"')


def row_ids(html: str) -> list[str]:
    return [a or b for a, b in ROW.findall(html)]


def test_next_link_carries_after_and_shows_the_numbered_page(make_admin, db) -> None:
    _, client = make_admin(ModelView(User, db))
    first = client.get("/admin/user/")
    link = re.search(r'href="(/admin/user/\?page=1&amp;after=[^"]+)"', first.text)
    assert link, "the next link carries the keyset position"
    seek = client.get(link.group(1).replace("&amp;", "&"))
    numbered = client.get("/admin/user/?page=1")
    assert seek.status_code == numbered.status_code == 200
    assert row_ids(seek.text) == row_ids(numbered.text) and len(row_ids(seek.text)) == 10
    assert client.get("/admin/user/?page=1&after=not-a-key").status_code == 200


class EstimatedUsers(ModelView):
    count_mode = "estimate"  # the engine's option: accepted on compat views, no warning


class UncountedUsers(ModelView):
    simple_list_pager = True  # Flask-Admin's: no count at all


def test_count_modes_on_compat_views(make_admin, db, recwarn) -> None:
    _, client = make_admin(EstimatedUsers(User, db, endpoint="est"),
                           UncountedUsers(User, db, endpoint="unc"))
    est, unc = client.get("/admin/est/"), client.get("/admin/unc/")
    assert est.status_code == unc.status_code == 200
    views = {v.fa.endpoint: v for v in client.app.state.flask_admin_compat.core.views.values()
             if hasattr(v, "fa")}
    assert views["est"].count_mode == "estimate" and views["unc"].count_mode == "none"
    assert not [w for w in recwarn if "count_mode" in str(w.message)]
