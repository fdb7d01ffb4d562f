"""After the login: the access token refreshed when it expires (and the session ended when
the provider refuses), the provider down during a refresh, and logout at both ends."""

from __future__ import annotations

import json

from starlette.requests import Request

from fasthx_core.oidc import OIDCBackend, OIDCSettings, access_token

from .flows import code_login, csrf_token, logged_in, password_login
from .provider import Provider


def test_a_fresh_access_token_is_not_refreshed(oidc_env, make_site, provider) -> None:
    site = make_site()
    code_login(site.client, "alice", "alice-pw")
    for _ in range(3):
        assert logged_in(site.client)
    assert provider.token_requests == ["authorization_code"]


def test_an_expired_access_token_is_refreshed_on_the_next_request(oidc_env, make_site,
                                                                  provider) -> None:
    provider.access_token_lifetime = 5  # inside the 30 s margin: expired at once
    site = make_site()
    assert code_login(site.client, "alice", "alice-pw").status_code == 200
    for _ in range(3):  # each refresh rotates the refresh token: the session must keep up
        page = site.client.get("/auth_notes")
        assert page.status_code == 200 and "Alice Admin" in page.text
    # the page after the callback refreshed once already, then each of the three
    assert provider.token_requests == ["authorization_code"] + ["refresh_token"] * 4


def test_password_logins_are_refreshed_too(oidc_env, make_site, provider) -> None:
    provider.access_token_lifetime = 5
    site = make_site()
    assert password_login(site.client, "bob", "bob-pw").status_code == 200
    assert logged_in(site.client)
    assert provider.token_requests == ["password", "refresh_token", "refresh_token"]


def test_a_refused_refresh_ends_the_session(oidc_env, make_site, provider) -> None:
    provider.access_token_lifetime = 5
    site = make_site()
    code_login(site.client, "alice", "alice-pw")
    for token in provider.tokens.values():  # an administrator ended alice's sessions
        token.revoked = True
    response = site.client.get("/auth_notes?q=x", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fauth_notes%3Fq%3Dx"
    assert not logged_in(site.client)


def test_leaving_the_allowed_groups_ends_the_session_at_the_next_refresh(
        oidc_env, make_site, provider, monkeypatch) -> None:
    provider.access_token_lifetime = 5
    site = make_site()
    code_login(site.client, "bob", "bob-pw")
    assert logged_in(site.client)
    monkeypatch.setattr(provider.users["bob"], "groups", ["/guests"])
    assert not logged_in(site.client)
    page = code_login(site.client, "bob", "bob-pw")
    assert page.status_code == 403


def test_provider_down_during_a_refresh_is_a_502_and_the_session_survives(
        oidc_env, make_site, tmp_path) -> None:
    own = Provider()  # a provider of this test's own, to stop and start again
    own.start()
    own.access_token_lifetime = 5
    path = tmp_path / "own.json"
    path.write_text(json.dumps(own.client_secrets()))
    port = int(own.base_url.rsplit(":", 1)[1])
    try:
        site = make_site(backend=OIDCBackend(OIDCSettings.from_client_secrets(
            path, allowed_groups=("admins",), provider_name="Own IdP")))
        assert code_login(site.client, "alice", "alice-pw").status_code == 200
        own.stop()
        page = site.client.get("/auth_notes")
        assert page.status_code == 502
        assert "The identity provider (Own IdP) cannot be reached" in page.text
        hx = site.client.get("/auth_notes", headers={"HX-Request": "true"})
        assert hx.status_code == 502 and "HX-Trigger" in hx.headers
        own.start(port)
        assert logged_in(site.client)
    finally:
        own.stop()


def test_logout_ends_the_local_and_the_provider_session(oidc_env, make_site,
                                                         provider) -> None:
    site = make_site()
    code_login(site.client, "alice", "alice-pw")
    token = csrf_token(site.client, "/logout")
    page = site.client.post("/logout", data={"csrf_token": token})
    assert page.status_code == 200 and str(page.url) == site.url + "/login"
    assert [str(r.url).split("?")[0] for r in page.history] == [
        site.url + "/logout", provider.issuer + "/protocol/openid-connect/logout"]
    (call,) = provider.logouts
    assert call["post_logout_redirect_uri"] == site.url + "/login"
    assert call["client_id"] == "fasthx-admin" and call["id_token_hint"].count(".") == 2
    assert not logged_in(site.client)


def test_logout_needs_the_csrf_token(oidc_env, make_site, provider) -> None:
    site = make_site()
    code_login(site.client, "alice", "alice-pw")
    forged = site.client.post("/logout", data={})
    assert forged.status_code == 403
    assert logged_in(site.client) and provider.logouts == []


def test_logout_without_an_end_session_endpoint_stays_local(oidc_env, make_site, provider,
                                                            monkeypatch) -> None:
    discovery = provider.discovery()
    discovery.pop("end_session_endpoint")
    monkeypatch.setattr(provider, "discovery", lambda: discovery)
    site = make_site()
    code_login(site.client, "alice", "alice-pw")
    out = site.client.post("/logout", data={"csrf_token": csrf_token(site.client, "/logout")},
                           follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert provider.logouts == [] and not logged_in(site.client)


def test_the_session_cookie_stays_small_and_the_access_token_is_opt_in(
        oidc_env, make_site, provider, monkeypatch) -> None:
    def add_token_route(site) -> None:
        @site.app.get("/my-token")
        def my_token(request: Request) -> dict:
            return {"token": access_token(request)}

    site = make_site()
    add_token_route(site)
    code_login(site.client, "alice", "alice-pw")
    assert len(site.client.cookies["fasthx_session"]) < 3000
    assert site.client.get("/my-token").json() == {"token": None}

    monkeypatch.setenv("OIDC_KEEP_ACCESS_TOKEN", "1")
    site = make_site()
    add_token_route(site)
    code_login(site.client, "alice", "alice-pw")
    token = site.client.get("/my-token").json()["token"]
    assert provider.tokens[token].user.username == "alice"

