"""The authorization-code flow with PKCE against the live provider: the round trip, every
way an ID token can be wrong, a forged or stale callback, and a provider that is down."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from fasthx_core.oidc import OIDCBackend, OIDCSettings

from .flows import code_login, logged_in, start_code_login
from .test_password_flow import dead_url


def test_login_page_offers_sign_in_with_the_provider(oidc_env, make_site) -> None:
    page = make_site().client.get("/login?next=/auth_notes")
    assert page.status_code == 200
    assert "Sign in with Test Keycloak" in page.text
    assert 'href="/login/oidc?next=%2Fauth_notes"' in page.text
    assert 'name="password"' in page.text  # the password grant is configured too


def test_code_only_login_page_has_no_password_form(oidc_env, make_site, monkeypatch) -> None:
    monkeypatch.setenv("OIDC_FLOWS", "code")
    page = make_site().client.get("/login")
    assert "Sign in with Test Keycloak" in page.text and 'name="password"' not in page.text


def test_the_redirect_carries_state_nonce_and_a_pkce_challenge(oidc_env, make_site,
                                                               provider) -> None:
    site = make_site()
    first = site.client.get("/login/oidc?next=/auth_notes", follow_redirects=False)
    assert first.status_code == 302
    url = urlsplit(first.headers["location"])
    params = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert url.netloc == urlsplit(provider.base_url).netloc
    assert params["response_type"] == "code" and params["client_id"] == "fasthx-admin"
    assert params["code_challenge_method"] == "S256" and len(params["code_challenge"]) >= 43
    assert params["state"] and params["nonce"] and "openid" in params["scope"].split()
    assert params["redirect_uri"] == site.url + "/login/oidc/callback"
    assert "code_verifier" not in first.headers["location"]


def test_an_authorize_uri_in_the_settings_wins_over_discovery(oidc_env, make_site,
                                                              provider) -> None:
    elsewhere = provider.issuer + "/protocol/openid-connect/auth-elsewhere"
    backend = OIDCBackend(OIDCSettings.from_client_secrets(oidc_env, authorize_uri=elsewhere))
    first = make_site(backend=backend).client.get("/login/oidc", follow_redirects=False)
    assert first.status_code == 302
    assert first.headers["location"].startswith(elsewhere + "?")


def test_code_flow_logs_in_and_returns_to_next(oidc_env, make_site, provider) -> None:
    site = make_site()
    page = code_login(site.client, "alice", "alice-pw", "/auth_notes?page=1")
    assert page.status_code == 200, page.text
    assert str(page.url) == site.url + "/auth_notes?page=1"
    assert "Alice Admin" in page.text and "first note" in page.text
    assert provider.token_requests == ["authorization_code"]


def test_code_flow_refuses_users_outside_the_allowed_groups(oidc_env, make_site) -> None:
    site = make_site()
    page = code_login(site.client, "carol", "carol-pw")
    assert page.status_code == 403
    assert "is not a member of a group allowed" in page.text.replace("&#39;", "'")
    assert not logged_in(site.client)


@pytest.mark.parametrize("fault,reason", [
    ("expired", "it has expired (exp)"),
    ("bad_signature", "its signature does not match the provider&#39;s keys"),
    ("wrong_audience", "it was issued for another application (aud)"),
    ("foreign_audience", "it was issued for another application (aud)"),
    ("wrong_issuer", "it was issued by another issuer (iss)"),
    ("wrong_nonce", "it belongs to another login (nonce)"),
])
def test_a_bad_id_token_is_refused_with_a_clear_page(oidc_env, make_site, provider,
                                                      fault, reason) -> None:
    site = make_site()
    provider.fault = fault
    page = code_login(site.client, "alice", "alice-pw")
    assert page.status_code == 401, (fault, page.status_code, page.text[:300])
    message = page.text[page.text.index("<h1"):page.text.index("Go to the start page")]
    assert "The ID token from Test Keycloak is not valid" in message
    assert reason in message, message
    assert not logged_in(site.client)
    provider.fault = None
    assert code_login(site.client, "alice", "alice-pw").status_code == 200  # a clean retry


def test_a_callback_with_an_unknown_state_is_a_400(oidc_env, make_site) -> None:
    site = make_site()
    start_code_login(site.client)  # a real login is under way ...
    page = site.client.get("/login/oidc/callback?code=stolen&state=forged")  # ... not this one
    assert page.status_code == 400
    assert "could not be matched to one started here" in page.text
    assert not logged_in(site.client)


def test_a_replayed_callback_is_refused(oidc_env, make_site) -> None:
    site = make_site()
    page = code_login(site.client, "alice", "alice-pw")
    callback = next(r for r in page.history if "/login/oidc/callback" in str(r.url))
    other = site.new_client()  # another browser replays the callback URL
    replay = other.get(str(callback.url))
    assert replay.status_code == 400
    assert not logged_in(other)


def test_a_refusal_from_the_provider_is_a_400(oidc_env, make_site) -> None:
    site = make_site()
    first = site.client.get("/login/oidc", follow_redirects=False)
    state = parse_qs(urlsplit(first.headers["location"]).query)["state"][0]
    page = site.client.get(f"/login/oidc/callback?error=access_denied&state={state}"
                           "&error_description=User+cancelled")
    assert page.status_code == 400
    assert "Test Keycloak refused the login (access_denied: User cancelled)" in page.text


def test_provider_down_is_a_502_page(oidc_env, make_site) -> None:
    settings = OIDCSettings(client_id="x", issuer=dead_url(), provider_name="Gone")
    site = make_site(backend=OIDCBackend(settings))
    page = site.client.get("/login/oidc?next=/auth_notes")
    assert page.status_code == 502
    assert "The identity provider (Gone) cannot be reached" in page.text
    assert "Traceback" not in page.text


def test_next_is_kept_local(oidc_env, make_site) -> None:
    site = make_site()
    page = code_login(site.client, "alice", "alice-pw", "https://evil.example/steal")
    assert str(page.url) == site.url + "/"  # the admin's home, not the other host
    assert logged_in(site.client)
