"""The legacy login: username and password sent to the provider (password grant), the user
from its userinfo endpoint, the group allow-list, and AUTH_DISABLED unchanged."""

from __future__ import annotations

import json
import socket

import pytest

from fasthx_core.auth import AuthError
from fasthx_core.oidc import OIDCBackend, OIDCSettings, oidc_login

from .flows import logged_in, password_login
from .provider import CLIENT_ID, CLIENT_SECRET


def dead_url() -> str:
    """A loopback URL nobody listens on (the port was free a moment ago)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/realms/gone"


def test_oidc_login_returns_the_user_and_groups(oidc_env) -> None:
    user = oidc_login("alice", "alice-pw")
    assert user["username"] == "alice" and user["name"] == "Alice Admin"
    assert user["groups"] == ["/admins", "/staff"]
    assert user["email"] == "alice@example.test"
    assert user["token"]["access_token"] and user["token"]["refresh_token"]


@pytest.mark.parametrize("username,password", [("alice", "wrong"), ("nobody", "x"),
                                               ("alice", "")])
def test_oidc_login_refuses_bad_credentials(oidc_env, username, password) -> None:
    with pytest.raises(AuthError) as err:
        oidc_login(username, password)
    assert err.value.status == 401
    assert str(err.value) in ("Invalid username or password.", "Enter your username and password.")


def test_oidc_login_refuses_users_outside_the_allowed_groups(oidc_env) -> None:
    with pytest.raises(AuthError) as err:
        oidc_login("carol", "carol-pw")
    assert err.value.status == 403
    assert "'carol' is not a member of a group allowed" in str(err.value)


def test_a_wrong_client_secret_is_named_as_such(oidc_env) -> None:
    settings = OIDCSettings.from_client_secrets(oidc_env, client_secret="not-the-secret",
                                                provider_name="Test Keycloak")
    with pytest.raises(AuthError) as err:
        oidc_login("alice", "alice-pw", settings)
    assert err.value.status == 502
    assert str(err.value) == "Test Keycloak does not accept this admin's client id or secret."


def test_allowed_groups_empty_lets_everyone_in(oidc_env, monkeypatch) -> None:
    monkeypatch.delenv("ALLOWED_GROUPS")
    assert oidc_login("carol", "carol-pw")["groups"] == ["/guests"]


def test_oidc_login_says_when_the_provider_is_down(oidc_env, tmp_path) -> None:
    base = dead_url() + "/protocol/openid-connect"
    path = tmp_path / "down.json"
    path.write_text(json.dumps({"web": {"client_id": "x", "client_secret": "y",
                                        "token_uri": base + "/token",
                                        "userinfo_uri": base + "/userinfo"}}))
    with pytest.raises(AuthError) as err:
        oidc_login("alice", "alice-pw", OIDCSettings.from_client_secrets(path))
    assert err.value.status == 502
    assert "cannot be reached" in str(err.value)


def test_password_grant_finds_its_endpoints_by_discovery(oidc_env, provider) -> None:
    settings = OIDCSettings(client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                            issuer=provider.issuer, flows=("password",))
    assert settings.token_uri is None
    assert oidc_login("bob", "bob-pw", settings)["groups"] == ["/staff"]


def test_settings_come_from_client_secrets_and_env(oidc_env, provider, monkeypatch) -> None:
    monkeypatch.setenv("OIDC_SCOPES", "openid profile")
    settings = OIDCSettings.from_env()
    assert settings.client_id == "fasthx-admin" and settings.issuer == provider.issuer
    assert settings.discovery_url == provider.issuer + "/.well-known/openid-configuration"
    assert settings.allowed_groups == ("admins", "staff")
    assert settings.flows == ("code", "password") and settings.scopes == "openid profile"
    monkeypatch.setenv("OIDC_FLOWS", "password")
    assert OIDCSettings.from_env().flows == ("password",)


def test_login_form_logs_in_through_the_provider(oidc_env, make_site) -> None:
    site = make_site()
    client = site.client
    assert not logged_in(client)
    page = password_login(client, "alice", "alice-pw", "/auth_notes?page=1")
    assert page.status_code == 200 and str(page.url).endswith("/auth_notes?page=1")
    assert "Alice Admin" in page.text and "first note" in page.text


@pytest.mark.parametrize("username,password,status,message", [
    ("alice", "nope", 401, "Invalid username or password."),
    ("carol", "carol-pw", 403, "is not a member of a group allowed to use this admin"),
])
def test_login_form_shows_why_a_login_is_refused(oidc_env, make_site, username, password,
                                                  status, message) -> None:
    site = make_site()
    page = password_login(site.client, username, password)
    assert page.status_code == status
    assert message in page.text.replace("&#39;", "'")
    assert not logged_in(site.client)


def test_login_form_with_the_provider_down_is_a_502_not_a_500(oidc_env, make_site,
                                                             monkeypatch) -> None:
    settings = OIDCSettings(client_id="x", issuer=dead_url(), provider_name="Gone")
    site = make_site(backend=OIDCBackend(settings))
    page = password_login(site.client, "alice", "alice-pw")
    assert page.status_code == 502
    assert "The identity provider (Gone) cannot be reached" in page.text


def test_auth_disabled_still_serves_the_dev_user(oidc_env, make_site, monkeypatch) -> None:
    site = make_site()
    monkeypatch.setenv("AUTH_DISABLED", "1")
    page = site.client.get("/auth_notes")
    assert page.status_code == 200 and "Developer" in page.text
    login = site.client.get("/login", follow_redirects=False)
    assert login.status_code == 303 and login.headers["location"] == "/"


def test_oidc_login_reads_the_discovery_document_once(oidc_env, provider) -> None:
    settings = OIDCSettings(client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                            issuer=provider.issuer, flows=("password",), allowed_groups=("admins",))
    before = provider.discovery_requests
    for _ in range(3):
        assert oidc_login("alice", "alice-pw", settings)["username"] == "alice"
    assert provider.discovery_requests - before == 1  # token and userinfo URLs from discovery
