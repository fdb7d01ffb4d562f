"""A real, small OpenID Connect provider for the auth tests, built from Authlib's server parts.

A Flask app served by werkzeug on 127.0.0.1 (a free port, in a thread): discovery document,
JWKS (an RSA key), authorization endpoint with a login form (authorization code grant with
PKCE and the OpenID Connect code extension), token endpoint (code, password and refresh
grants), userinfo (bearer token) and an end-session endpoint that records its calls.

Tests steer it through plain attributes: ``users`` (passwords and groups), ``fault`` (what to
break in the next ID token: ``expired``, ``bad_signature``, ``wrong_audience``,
``wrong_issuer``, ``wrong_nonce``, ``foreign_audience``), ``access_token_lifetime`` and ``logouts``.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2.rfc6749 import OAuth2Error, grants
from authlib.oauth2.rfc6750 import BearerTokenGenerator, BearerTokenValidator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from authlib.oidc.discovery import OpenIDProviderMetadata
from flask import Flask, jsonify, redirect, request
from joserfc.jwk import RSAKey
from markupsafe import escape
from werkzeug.serving import make_server

CLIENT_ID = "fasthx-admin"
CLIENT_SECRET = "fasthx-secret"
SCOPES = {"openid", "email", "profile"}
GRANT_TYPES = {"authorization_code", "password", "refresh_token"}


@dataclass
class ProviderUser:
    username: str
    password: str
    groups: list[str]
    name: str = ""
    sub: str = field(default_factory=lambda: secrets.token_hex(8))

    def get_user_id(self) -> str:
        return self.sub

    def claims(self) -> dict[str, Any]:
        return {"sub": self.sub, "preferred_username": self.username,
                "name": self.name or self.username.title(),
                "email": f"{self.username}@example.test", "groups": list(self.groups)}


class Client:
    """The admin as this provider knows it (a confidential client)."""

    client_id = CLIENT_ID
    client_secret = CLIENT_SECRET
    client_metadata: dict[str, Any] = {}

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> None:
        return None

    def get_allowed_scope(self, scope: str) -> str:
        return " ".join(s for s in (scope or "").split() if s in SCOPES)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri.startswith("http://127.0.0.1:")

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in GRANT_TYPES


@dataclass
class AuthCode:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: ProviderUser
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> None:
        return None

    def get_amr(self) -> None:
        return None


@dataclass
class Token:
    access_token: str
    refresh_token: str | None
    scope: str
    user: ProviderUser
    expires_in: int
    issued_at: float = field(default_factory=time.time)
    revoked: bool = False

    def check_client(self, client: Client) -> bool:
        return client.client_id == CLIENT_ID

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return self.expires_in

    def is_expired(self) -> bool:
        return time.time() >= self.issued_at + self.expires_in

    def is_revoked(self) -> bool:
        return self.revoked

    def get_user(self) -> ProviderUser:
        return self.user

    def get_client(self) -> Client:
        return Client()


class Provider:
    """The provider's state and its Flask app; `start()` serves it, `stop()` ends it."""

    def __init__(self) -> None:
        self.users = {u.username: u for u in (
            ProviderUser("alice", "alice-pw", ["/admins", "/staff"], "Alice Admin"),
            ProviderUser("bob", "bob-pw", ["/staff"], "Bob Staff"),
            ProviderUser("carol", "carol-pw", ["/guests"], "Carol Guest"),
        )}
        self.key = RSAKey.generate_key(2048, parameters={"kid": "provider-key"})
        self.rogue_key = RSAKey.generate_key(2048, parameters={"kid": "provider-key"})
        self.fault: str | None = None
        self.access_token_lifetime = 300
        self.codes: dict[str, AuthCode] = {}
        self.tokens: dict[str, Token] = {}
        self.logouts: list[dict[str, str]] = []
        self.token_requests: list[str] = []  # grant types, in order
        self.discovery_requests = 0
        self.base_url = ""
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self.app = self._build_app()

    # -- serving -----------------------------------------------------------------------
    def start(self, port: int = 0) -> str:
        self._server = make_server("127.0.0.1", port, self.app, threaded=True)
        self.base_url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def issuer(self) -> str:
        return self.base_url + "/realms/test"

    def discovery(self) -> dict[str, Any]:
        base = self.issuer + "/protocol/openid-connect"
        doc = OpenIDProviderMetadata({
            "issuer": self.issuer,
            "authorization_endpoint": base + "/auth",
            "token_endpoint": base + "/token",
            "userinfo_endpoint": base + "/userinfo",
            "jwks_uri": base + "/certs",
            "end_session_endpoint": base + "/logout",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": sorted(SCOPES),
            "grant_types_supported": sorted(GRANT_TYPES),
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic",
                                                      "client_secret_post"],
        })
        doc.validate()
        return dict(doc)

    def client_secrets(self) -> dict[str, Any]:
        """A Keycloak-style client_secrets.json for this provider."""
        base = self.issuer + "/protocol/openid-connect"
        return {"web": {"issuer": self.issuer, "auth_uri": base + "/auth",
                        "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                        "redirect_uris": ["http://127.0.0.1/*"],
                        "userinfo_uri": base + "/userinfo", "token_uri": base + "/token",
                        "token_introspection_uri": base + "/token/introspect"}}

    # -- the Authlib server ------------------------------------------------------------
    def _save_token(self, token: dict[str, Any], req: Any) -> None:
        self.tokens[token["access_token"]] = Token(
            token["access_token"], token.get("refresh_token"), token.get("scope", ""),
            req.user, int(token["expires_in"]))

    def _build_server(self, app: Flask) -> tuple[AuthorizationServer, ResourceProtector]:
        provider = self
        server = AuthorizationServer(app, query_client=lambda cid: Client()
                                     if cid == CLIENT_ID else None,
                                     save_token=self._save_token)
        server.register_token_generator("default", BearerTokenGenerator(
            access_token_generator=lambda **kw: secrets.token_urlsafe(24),
            refresh_token_generator=lambda **kw: secrets.token_urlsafe(24),
            expires_generator=lambda client, grant_type: provider.access_token_lifetime))

        class CodeGrant(grants.AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

            def save_authorization_code(self, code: str, req: Any) -> None:
                data = req.payload.data
                provider.codes[code] = AuthCode(
                    code, req.client.client_id, req.payload.redirect_uri, req.payload.scope,
                    req.user, data.get("nonce"), data.get("code_challenge"),
                    data.get("code_challenge_method"))

            def query_authorization_code(self, code: str, client: Client) -> AuthCode | None:
                return provider.codes.get(code)

            def delete_authorization_code(self, authorization_code: AuthCode) -> None:
                provider.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code: AuthCode) -> ProviderUser:
                return authorization_code.user

        class PasswordGrant(grants.ResourceOwnerPasswordCredentialsGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

            def authenticate_user(self, username: str, password: str) -> ProviderUser | None:
                user = provider.users.get(username)
                if user and secrets.compare_digest(user.password, password):
                    return user
                return None

        class RefreshGrant(grants.RefreshTokenGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]
            INCLUDE_NEW_REFRESH_TOKEN = True

            def authenticate_refresh_token(self, refresh_token: str) -> Token | None:
                for token in provider.tokens.values():
                    if token.refresh_token == refresh_token and not token.revoked:
                        return token
                return None

            def authenticate_user(self, credential: Token) -> ProviderUser | None:
                return provider.users.get(credential.user.username)  # removed: refused

            def revoke_old_credential(self, credential: Token) -> None:
                credential.revoked = True

        class IDTokenExtension(OpenIDCode):
            """The OpenID Connect code flow; `provider.fault` spoils the next ID token."""

            def exists_nonce(self, nonce: str, req: Any) -> bool:
                return any(c.nonce == nonce for c in provider.codes.values())

            def resolve_client_private_key(self, client: Client) -> RSAKey:
                return provider.rogue_key if provider.fault == "bad_signature" else provider.key

            def get_client_algorithm(self, client: Client) -> str:
                return "RS256"

            def get_encode_header(self, client: Client) -> dict[str, str]:
                return {"alg": "RS256", "kid": "provider-key"}

            def get_client_claims(self, client: Client) -> dict[str, Any]:
                now = int(time.time())
                claims = {"iss": provider.issuer, "aud": [client.client_id],
                          "iat": now, "exp": now + 300}
                if provider.fault == "expired":
                    claims.update(iat=now - 7200, exp=now - 3600)
                elif provider.fault == "wrong_audience":
                    claims["aud"] = ["another-client"]
                elif provider.fault == "foreign_audience":  # for someone else, azp says us
                    claims.update(aud=["another-client"], azp=client.client_id)
                elif provider.fault == "wrong_issuer":
                    claims["iss"] = "http://127.0.0.1:9/realms/evil"
                return claims

            def get_authorization_code_claims(self, authorization_code: AuthCode) -> dict:
                claims = super().get_authorization_code_claims(authorization_code)
                if provider.fault == "wrong_nonce":
                    claims["nonce"] = "a-nonce-from-another-login"
                return claims

            def generate_user_info(self, user: ProviderUser, scope: str) -> UserInfo:
                return UserInfo(user.claims())

        server.register_grant(CodeGrant, [CodeChallenge(required=True),
                                          IDTokenExtension(require_nonce=True)])
        server.register_grant(PasswordGrant)
        server.register_grant(RefreshGrant)

        class Validator(BearerTokenValidator):
            def authenticate_token(self, token_string: str) -> Token | None:
                return provider.tokens.get(token_string)

        protector = ResourceProtector()
        protector.register_token_validator(Validator())
        return server, protector

    def _build_app(self) -> Flask:
        app = Flask("test_oidc_provider")
        app.config["SECRET_KEY"] = "provider-tests"
        server, require_token = self._build_server(app)
        base = "/realms/test/protocol/openid-connect"

        @app.get("/realms/test/.well-known/openid-configuration")
        def discovery() -> Any:
            self.discovery_requests += 1
            return jsonify(self.discovery())

        @app.get(base + "/certs")
        def certs() -> Any:
            return jsonify({"keys": [self.key.as_dict(private=False)]})

        @app.route(base + "/auth", methods=["GET", "POST"])
        def authorize() -> Any:
            if request.method == "GET":
                try:
                    server.get_consent_grant(end_user=None)
                except OAuth2Error as exc:
                    return jsonify(dict(exc.get_body())), exc.status_code
                hidden = "".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">'
                                 for k, v in request.args.items())
                return (f'<form method="post" id="kc-form-login">{hidden}'
                        '<input name="username"><input name="password" type="password">'
                        '<button>Sign in</button></form>')
            user = self.users.get(request.form.get("username", ""))
            if user is None or user.password != request.form.get("password"):
                return "Invalid username or password.", 401
            grant = server.get_consent_grant(end_user=user)
            return server.create_authorization_response(grant_user=user, grant=grant)

        @app.post(base + "/token")
        def token() -> Any:
            self.token_requests.append(request.form.get("grant_type", ""))
            return server.create_token_response()

        @app.route(base + "/userinfo", methods=["GET", "POST"])
        @require_token("openid")
        def userinfo() -> Any:
            from authlib.integrations.flask_oauth2 import current_token

            user = self.users.get(current_token.user.username)
            if user is None:
                return jsonify({"error": "invalid_token"}), 401
            return jsonify(user.claims())

        @app.get(base + "/logout")
        def logout() -> Any:
            self.logouts.append(dict(request.args))
            target = request.args.get("post_logout_redirect_uri")
            return redirect(target) if target else "Logged out"

        return app
