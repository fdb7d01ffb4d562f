"""OIDC settings: bad configuration is a start-up error with a reason, and the claims map
to the session user as documented."""

from __future__ import annotations

import pytest

from fasthx_core.auth import AuthError
from fasthx_core.oidc import OIDCSettings, user_from_claims
from fasthx_core.oidc_settings import OIDCConfigError


@pytest.mark.parametrize("kwargs,reason", [
    ({"client_id": ""}, "client_id is required"),
    ({"client_id": "x"}, "set an issuer, a discovery URL or a token_uri"),
    ({"client_id": "x", "issuer": "http://i", "flows": ("implicit",)}, "unknown flows"),
    ({"client_id": "x", "token_uri": "http://t", "flows": ("code",)}, "needs an issuer"),
])
def test_bad_settings_are_refused_with_a_reason(kwargs, reason) -> None:
    with pytest.raises(OIDCConfigError, match=reason):
        OIDCSettings(**kwargs)


def test_an_unreadable_secrets_file_is_a_config_error(tmp_path) -> None:
    path = tmp_path / "client_secrets.json"
    with pytest.raises(OIDCConfigError, match="cannot read"):
        OIDCSettings.from_client_secrets(path)
    path.write_text('{"installed": 3}')
    with pytest.raises(OIDCConfigError, match='no "web" section'):
        OIDCSettings.from_client_secrets(path)


def test_env_without_a_secrets_file(monkeypatch) -> None:
    monkeypatch.delenv("OIDC_SECRETS", raising=False)
    monkeypatch.delenv("OIDC_CLIENT_ID", raising=False)
    with pytest.raises(OIDCConfigError, match="set OIDC_SECRETS"):
        OIDCSettings.from_env()
    monkeypatch.setenv("OIDC_CLIENT_ID", "admin")
    monkeypatch.setenv("OIDC_ISSUER", "https://sso.example/realms/x/")
    monkeypatch.setenv("OIDC_FLOWS", "code")
    monkeypatch.setenv("OIDC_TIMEOUT", "3.5")
    settings = OIDCSettings.from_env()
    assert settings.discovery_url == ("https://sso.example/realms/x"
                                      "/.well-known/openid-configuration")
    assert settings.flows == ("code",) and settings.timeout == 3.5


def test_groups_come_from_a_dotted_claim_and_are_checked() -> None:
    settings = OIDCSettings(client_id="x", issuer="http://i", groups_claim="realm_access.roles",
                            allowed_groups=("admins",))
    claims = {"sub": "1", "preferred_username": "ann", "realm_access": {"roles": ["admins"]}}
    assert user_from_claims(claims, settings)["groups"] == ["admins"]
    with pytest.raises(AuthError) as err:
        user_from_claims({"sub": "2", "email": "bo@example.test"}, settings)
    assert err.value.status == 403 and "'bo@example.test'" in str(err.value)
    with pytest.raises(AuthError) as err:
        user_from_claims({}, settings)
    assert err.value.status == 502
