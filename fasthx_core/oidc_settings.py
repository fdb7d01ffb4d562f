"""Where the OpenID Connect provider is and how to talk to it.

Read from a Keycloak / flask-oidc ``client_secrets.json`` (``{"web": {"issuer", "client_id",
"client_secret", "token_uri", "userinfo_uri", ...}}``, path in ``OIDC_SECRETS``) and from
environment variables, which win over the file:

=====================  =====================================================================
``OIDC_SECRETS``        path of client_secrets.json
``OIDC_ISSUER``         issuer URL (default: ``web.issuer``)
``OIDC_DISCOVERY_URL``  discovery document (default: issuer + /.well-known/openid-configuration)
``OIDC_CLIENT_ID``      client id (default: ``web.client_id``)
``OIDC_CLIENT_SECRET``  client secret (default: ``web.client_secret``)
``OIDC_PROVIDER_NAME``  label of the "Sign in with ..." button (default: SSO)
``OIDC_SCOPES``         scopes asked for (default: ``openid email profile``)
``OIDC_FLOWS``          ``code``, ``password`` or both (default: every flow the settings allow)
``OIDC_REDIRECT_URI``   callback URL as the provider knows it (default: built from the request)
``OIDC_GROUPS_CLAIM``   claim holding the groups, dotted for nested (``realm_access.roles``)
``OIDC_KEEP_ACCESS_TOKEN``  1: keep the access token in the session (`oidc.access_token`)
``ALLOWED_GROUPS``      comma separated; a user in none of them is refused (empty: anyone)
=====================  =====================================================================
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .auth import env_list

# environment variable -> (settings field, converter)
ENV_FIELDS: dict[str, tuple[str, Any]] = {
    "OIDC_ISSUER": ("issuer", str),
    "OIDC_DISCOVERY_URL": ("discovery_url", str),
    "OIDC_CLIENT_ID": ("client_id", str),
    "OIDC_CLIENT_SECRET": ("client_secret", str),
    "OIDC_PROVIDER_NAME": ("provider_name", str),
    "OIDC_SCOPES": ("scopes", str),
    "OIDC_REDIRECT_URI": ("redirect_uri", str),
    "OIDC_GROUPS_CLAIM": ("groups_claim", str),
    "OIDC_TIMEOUT": ("timeout", float),
    "OIDC_KEEP_ACCESS_TOKEN": ("keep_access_token", lambda v: v.lower() in ("1", "true", "yes")),
}

# client_secrets.json "web" key -> settings field
SECRETS_FIELDS: dict[str, str] = {
    "issuer": "issuer",
    "client_id": "client_id",
    "client_secret": "client_secret",
    "token_uri": "token_uri",
    "userinfo_uri": "userinfo_uri",
    "auth_uri": "authorize_uri",
    "end_session_uri": "end_session_uri",
}


class OIDCConfigError(ValueError):
    """The OIDC settings are missing or contradictory (a start-up error, not a login error)."""


@dataclass(frozen=True)
class OIDCSettings:
    """Everything the OIDC backend needs; build it in code, from a file or from the env.

    An endpoint given here (``token_uri``, ``userinfo_uri``, ``authorize_uri``,
    ``end_session_uri``) wins over the one the discovery document names.  Settings are
    immutable and hashable: `oidc_login` keeps one backend per distinct settings."""

    client_id: str
    client_secret: str | None = None
    issuer: str | None = None
    discovery_url: str | None = None
    token_uri: str | None = None
    userinfo_uri: str | None = None
    authorize_uri: str | None = None
    end_session_uri: str | None = None
    provider_name: str = "SSO"
    scopes: str = "openid email profile"
    flows: tuple[str, ...] = ()
    redirect_uri: str | None = None
    groups_claim: str = "groups"
    allowed_groups: tuple[str, ...] = ()
    timeout: float = 10.0
    leeway: int = 60  # seconds of clock skew tolerated on exp/iat
    refresh_margin: int = 30  # refresh this many seconds before the access token expires
    keep_access_token: bool = False  # in the session, for `access_token(request)`

    def __post_init__(self) -> None:
        if not self.client_id:
            raise OIDCConfigError("OIDC: client_id is required")
        if not self.discovery_url and self.issuer:
            object.__setattr__(self, "discovery_url", self.issuer.rstrip("/")
                               + "/.well-known/openid-configuration")
        possible = tuple(f for f, ok in (("code", bool(self.discovery_url)),
                                         ("password", bool(self.token_uri or self.discovery_url)))
                         if ok)
        flows = self.flows or possible
        unknown = set(flows) - {"code", "password"}
        if unknown:
            raise OIDCConfigError(f"OIDC: unknown flows {sorted(unknown)} (use code, password)")
        if "code" in flows and not self.discovery_url:
            raise OIDCConfigError("OIDC: the code flow needs an issuer or OIDC_DISCOVERY_URL")
        if "password" in flows and not (self.token_uri or self.discovery_url):
            raise OIDCConfigError("OIDC: the password flow needs token_uri or discovery")
        if not flows:
            raise OIDCConfigError("OIDC: set an issuer, a discovery URL or a token_uri")
        object.__setattr__(self, "flows", tuple(flows))

    @classmethod
    def from_client_secrets(cls, path: str | Path, **overrides: Any) -> OIDCSettings:
        """Settings from a Keycloak/flask-oidc client_secrets.json; `overrides` win."""
        try:
            data = json.loads(Path(path).read_text())
        except (OSError, ValueError) as exc:
            raise OIDCConfigError(f"OIDC: cannot read {path}: {exc}") from exc
        web = data.get("web") or data.get("installed") if isinstance(data, dict) else None
        if not isinstance(web, dict):
            raise OIDCConfigError(f"OIDC: {path} has no \"web\" section")
        values = {fld: web[key] for key, fld in SECRETS_FIELDS.items() if web.get(key)}
        values.update(overrides)
        return cls(**values)

    @classmethod
    def from_env(cls, **overrides: Any) -> OIDCSettings:
        """Settings from ``OIDC_SECRETS`` (if set) and the ``OIDC_*``/``ALLOWED_GROUPS`` env."""
        values: dict[str, Any] = {}
        for name, (fld, convert) in ENV_FIELDS.items():
            if os.environ.get(name, "").strip():
                values[fld] = convert(os.environ[name].strip())
        if flows := env_list("OIDC_FLOWS"):
            values["flows"] = tuple(flows)
        if groups := env_list("ALLOWED_GROUPS"):
            values["allowed_groups"] = tuple(groups)
        values.update(overrides)
        path = os.environ.get("OIDC_SECRETS", "").strip()
        if path:
            return cls.from_client_secrets(path, **values)
        if "client_id" not in values:
            raise OIDCConfigError("OIDC: set OIDC_SECRETS (client_secrets.json) or "
                                  "OIDC_CLIENT_ID with OIDC_ISSUER")
        return cls(**values)
