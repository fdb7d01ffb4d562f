"""OpenID Connect login as an `AuthBackend`, built on Authlib.

Two ways in, both ending in the same session user (``username``, ``name``, ``groups``):

* **password grant** (legacy, what flask-oidc apps did): the login form's username and
  password go to the provider's token endpoint, the user comes from its userinfo endpoint.
  `oidc_login` is this flow as one function.
* **authorization code + PKCE** (recommended): the browser is sent to the provider; on the
  way back the ID token is checked by Authlib (signature against the provider's JWKS, issuer,
  audience, expiry, nonce) and the user comes from its claims (and userinfo for groups).

Either way the tokens are kept in the signed session, the access token is refreshed when it
has expired (a refused refresh ends the session: the provider has logged the user out or
disabled them), the groups are read again then, and logging out also ends the provider's
session when it advertises an ``end_session_endpoint``.  A user in none of
``ALLOWED_GROUPS`` is refused.  Every failure is an `AuthError` with a status and a message
fit for the user; nothing here raises a bare HTTP or token error.
"""

from __future__ import annotations

import functools
import importlib
import logging
import time
from typing import Any
from urllib.parse import urlencode

from authlib.common.urls import add_params_to_uri
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.httpx_client import AsyncOAuth2Client, OAuth2Client
from authlib.integrations.starlette_client import OAuth
from joserfc.errors import JoseError
from starlette.requests import Request
from starlette.responses import Response

from .auth import AuthError, check_allowed_groups
from .oidc_settings import OIDCSettings

log = logging.getLogger("fasthx_core.oidc")
SESSION_KEY = "oidc"  # {"rt": refresh token, "exp": epoch, "idt": id token, "at"?: access token}


def _transport_errors() -> tuple[type[BaseException], ...]:
    """The errors of the HTTP client Authlib uses (httpx2, or httpx), plus socket errors."""
    errors: list[type[BaseException]] = [OSError]
    for module in ("httpx2", "httpx"):
        try:
            errors.append(importlib.import_module(module).HTTPError)
        except ImportError:
            pass
    return tuple(errors)


TRANSPORT_ERRORS = _transport_errors()


def claim(claims: dict[str, Any], path: str) -> Any:
    """A claim by dotted path (``realm_access.roles``), or None."""
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def user_from_claims(claims: dict[str, Any], settings: OIDCSettings) -> dict[str, Any]:
    """The session user for ID-token or userinfo claims; refused outside the allowed groups."""
    username = claims.get("preferred_username") or claims.get("email") or claims.get("sub")
    if not username:
        raise AuthError("The identity provider did not say who you are (no user name).", 502)
    groups = claim(claims, settings.groups_claim) or []
    if isinstance(groups, str):
        groups = [groups]
    user = {"username": str(username), "name": str(claims.get("name") or username),
            "groups": [str(g) for g in groups], "email": claims.get("email")}
    check_allowed_groups(user, settings.allowed_groups)
    return user


# what is wrong with an ID token, said for people: (joserfc error, claim) -> text
TOKEN_PROBLEMS: dict[tuple[str, str | None], str] = {
    ("expired_token", "exp"): "it has expired (exp)",
    ("bad_signature", None): "its signature does not match the provider's keys",
    ("invalid_claim", "iss"): "it was issued by another issuer (iss)",
    ("invalid_claim", "aud"): "it was issued for another application (aud)",
    ("invalid_claim", "azp"): "it was issued for another application (azp)",
    ("invalid_claim", "nonce"): "it belongs to another login (nonce)",
    ("invalid_claim", "at_hash"): "it does not belong to the access token (at_hash)",
    ("invalid_claim", "nbf"): "it is not valid yet (nbf)",
    ("invalid_claim", "iat"): "it was issued in the future (iat)",
}


# the token endpoint's error for a password login -> (message, status)
PASSWORD_GRANT_ERRORS: dict[str, tuple[str, int]] = {
    "invalid_grant": ("Invalid username or password.", 401),
    "invalid_request": ("Invalid username or password.", 401),
    "unauthorized_client": ("{provider} does not allow password logins for this client "
                            "(enable direct access grants, or use the sign-in button).", 502),
    "invalid_client": ("{provider} does not accept this admin's client id or secret.", 502),
}


def token_problem(exc: JoseError) -> str:
    claim = getattr(exc, "claim", None)
    known = TOKEN_PROBLEMS.get((exc.error, claim)) or TOKEN_PROBLEMS.get((exc.error, None))
    if known:
        return known
    if exc.error == "missing_claim":
        return f"the claim {claim!r} is missing"
    return f"{exc.error}: {exc.description}" if exc.description else exc.error


def _provider_down(settings: OIDCSettings) -> AuthError:
    return AuthError(f"The identity provider ({settings.provider_name}) cannot be reached or "
                     "gave an unusable answer. Try again in a moment.", 502)


def _bearer(token: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {token.get('access_token', '')}"}


def _stored_tokens(token: dict[str, Any], keep_access_token: bool) -> dict[str, Any]:
    """What the session keeps: the refresh token and expiry (to refresh), the ID token (the
    logout hint) and, only when asked for, the access token: a cookie holds 4 KB at most,
    and Keycloak's three tokens together come close to that."""
    expires_at = token.get("expires_at")
    if expires_at is None and token.get("expires_in") is not None:
        expires_at = int(time.time()) + int(token["expires_in"])
    stored = {"rt": token.get("refresh_token"), "exp": expires_at, "idt": token.get("id_token")}
    if keep_access_token:
        stored["at"] = token.get("access_token")
    return stored


class OIDCBackend:
    """`Admin(app, auth_backend=OIDCBackend())`: settings from the environment by default."""

    name = "oidc"

    def __init__(self, settings: OIDCSettings | None = None) -> None:
        self.settings = settings or OIDCSettings.from_env()
        s = self.settings
        self.password_login = "password" in s.flows
        self.code_login = "code" in s.flows
        self.oauth = OAuth()
        self.client = self.oauth.register(
            self.name, client_id=s.client_id, client_secret=s.client_secret,
            server_metadata_url=s.discovery_url,
            authorize_url=s.authorize_uri, access_token_url=s.token_uri,
            client_kwargs={"scope": s.scopes, "code_challenge_method": "S256",
                           "timeout": s.timeout})

    # -- provider metadata -------------------------------------------------------------
    async def metadata(self) -> dict[str, Any]:
        if not self.settings.discovery_url:
            return {}
        try:
            return dict(await self.client.load_server_metadata())
        except TRANSPORT_ERRORS + (ValueError,) as exc:
            raise _provider_down(self.settings) from exc

    def _endpoint(self, setting: str | None, key: str) -> str | None:
        """An endpoint from the settings, else from discovery: the document Authlib keeps for
        the code flow, fetched here synchronously when no request has loaded it yet (one
        copy, one fetch, for both flows)."""
        if setting:
            return setting
        metadata = self.client.server_metadata
        if "_loaded_at" not in metadata and self.settings.discovery_url:
            with OAuth2Client(timeout=self.settings.timeout) as http:
                response = http.request("GET", self.settings.discovery_url,
                                        withhold_token=True)
                response.raise_for_status()
                metadata.update({**response.json(), "_loaded_at": time.time()})
        return metadata.get(key)

    def _claims_options(self, metadata: dict[str, Any]) -> dict[str, Any]:
        """Issuer and audience are checked explicitly: Authlib's ID-token class alone would
        accept a foreign ``aud`` that comes with our ``azp``."""
        issuer = (self.settings.issuer or metadata.get("issuer") or "").rstrip("/")
        options: dict[str, Any] = {"aud": {"essential": True, "values": [self.settings.client_id]}}
        if issuer:  # "https://sso/realms/x" and ".../x/" name the same issuer
            options["iss"] = {"essential": True, "values": [issuer, issuer + "/"]}
        return options

    # -- password grant (legacy) -------------------------------------------------------
    def authenticate(self, username: str, password: str) -> dict[str, Any]:
        """Log in with the password grant; the returned user carries its tokens."""
        s = self.settings
        if not self.password_login:
            raise AuthError(f"Password login is off: use “Sign in with {s.provider_name}”.", 400)
        if not username or not password:
            raise AuthError("Enter your username and password.")
        try:
            token_url = self._endpoint(s.token_uri, "token_endpoint")
            userinfo_url = self._endpoint(s.userinfo_uri, "userinfo_endpoint")
            with OAuth2Client(s.client_id, s.client_secret, scope=s.scopes,
                              timeout=s.timeout) as http:
                token = http.fetch_token(token_url, grant_type="password",
                                         username=username, password=password)
                if userinfo_url:
                    response = http.request("GET", userinfo_url, withhold_token=True,
                                            headers=_bearer(token))
                    response.raise_for_status()
                    claims = response.json()
                else:
                    claims = {"preferred_username": username}
        except OAuthError as exc:
            message, status = PASSWORD_GRANT_ERRORS.get(
                exc.error, ("The identity provider refused the login ({error}).", 401))
            raise AuthError(message.format(error=exc.error, provider=s.provider_name),
                            status) from exc
        except TRANSPORT_ERRORS + (ValueError,) as exc:
            raise _provider_down(s) from exc
        user = user_from_claims(claims, s)
        user["token"] = token
        return user

    def on_login(self, request: Request, user: dict[str, Any]) -> None:
        token = user.get("token")
        if isinstance(token, dict):
            request.session[SESSION_KEY] = _stored_tokens(token, self.settings.keep_access_token)

    # -- authorization code flow -------------------------------------------------------
    def login_options(self, request: Request, next_url: str) -> list[dict[str, str]]:
        """The "Sign in with <provider>" button of the login page."""
        if not self.code_login:
            return []
        url = request.url_for("fasthx_oidc_login").path + "?" + urlencode({"next": next_url})
        return [{"label": f"Sign in with {self.settings.provider_name}", "url": url}]

    async def start_login(self, request: Request, redirect_uri: str) -> Response:
        """The redirect to the provider; state, nonce and PKCE verifier go into the session."""
        await self.metadata()  # a provider that is down is reported before Authlib sees it
        try:
            return await self.client.authorize_redirect(request, redirect_uri)
        except TRANSPORT_ERRORS + (ValueError, RuntimeError) as exc:
            raise _provider_down(self.settings) from exc

    async def finish_login(self, request: Request) -> dict[str, Any]:
        """The user for the provider's answer at the callback, tokens included."""
        s = self.settings
        metadata = await self.metadata()
        try:
            token = await self.client.authorize_access_token(
                request, claims_options=self._claims_options(metadata), leeway=s.leeway)
            claims = dict(token.get("userinfo") or {})
            if not claims:
                raise AuthError(f"{s.provider_name} sent no ID token.", 502)
            claims = await self._with_userinfo(claims, token, metadata)
        except MismatchingStateError as exc:
            raise AuthError("This login could not be matched to one started here (it expired "
                            "or was started in another browser). Start again.", 400) from exc
        except OAuthError as exc:
            description = f": {exc.description}" if exc.description else ""
            raise AuthError(f"{s.provider_name} refused the login ({exc.error}{description}).",
                            400) from exc
        except JoseError as exc:
            raise AuthError(f"The ID token from {s.provider_name} is not valid: "
                            f"{token_problem(exc)}. Start again.", 401) from exc
        except TRANSPORT_ERRORS + (ValueError, RuntimeError) as exc:
            raise _provider_down(s) from exc
        user = user_from_claims(claims, s)
        user["token"] = token
        return user

    async def _with_userinfo(self, claims: dict[str, Any], token: dict[str, Any],
                             metadata: dict[str, Any]) -> dict[str, Any]:
        """ID-token claims plus userinfo's when the groups are not in the ID token."""
        url = self.settings.userinfo_uri or metadata.get("userinfo_endpoint")
        root = self.settings.groups_claim.split(".")[0]
        if not url or root in claims:
            return claims
        info = await self._fetch_userinfo(url, token)
        if claims.get("sub") and info.get("sub") != claims["sub"]:
            raise AuthError("The identity provider's userinfo is for another user.", 502)
        return {**info, **claims}

    # -- refresh -----------------------------------------------------------------------
    async def refresh_session(self, request: Request,
                              user: dict[str, Any]) -> dict[str, Any] | None:
        """Refresh an expired access token; None ends the session (refresh refused, or the
        user left the allowed groups).  A provider that cannot be reached is an AuthError
        (502): the session is kept for when it is back."""
        stored = request.session.get(SESSION_KEY)
        if not isinstance(stored, dict) or not stored.get("exp"):
            return user
        if float(stored["exp"]) - self.settings.refresh_margin > time.time():
            return user
        if not stored.get("rt"):
            return None
        s = self.settings
        metadata = await self.metadata()
        url = s.token_uri or metadata.get("token_endpoint")
        try:
            async with AsyncOAuth2Client(s.client_id, s.client_secret,
                                         timeout=s.timeout) as http:
                token = await http.refresh_token(url, refresh_token=stored["rt"])
            claims: dict[str, Any] = {}
            if token.get("id_token") and metadata:
                claims = dict(await self.client.parse_id_token(
                    token, nonce=None, claims_options=self._claims_options(metadata),
                    leeway=s.leeway))
            claims = await self._with_userinfo(claims, token, metadata) if claims else \
                await self._userinfo_only(token, metadata)
            fresh = user_from_claims(claims, s)
        except (OAuthError, JoseError, AuthError) as exc:
            if isinstance(exc, AuthError) and exc.status == 502:
                raise
            log.info("OIDC session of %s ended at refresh: %r", user.get("username"), exc)
            return None
        except TRANSPORT_ERRORS + (ValueError,) as exc:
            raise _provider_down(s) from exc
        token.setdefault("refresh_token", stored["rt"])
        token.setdefault("id_token", stored.get("idt"))
        request.session[SESSION_KEY] = _stored_tokens(token, self.settings.keep_access_token)
        return fresh

    async def _userinfo_only(self, token: dict[str, Any],
                             metadata: dict[str, Any]) -> dict[str, Any]:
        url = self.settings.userinfo_uri or metadata.get("userinfo_endpoint")
        if not url:
            raise AuthError("The identity provider has no userinfo endpoint.", 502)
        return await self._fetch_userinfo(url, token)

    async def _fetch_userinfo(self, url: str, token: dict[str, Any]) -> dict[str, Any]:
        """Userinfo with the access token just received (sent as is: Authlib's own expiry
        check, with its minute of leeway, would refuse short-lived tokens)."""
        async with AsyncOAuth2Client(timeout=self.settings.timeout) as http:
            response = await http.request("GET", url, withhold_token=True,
                                          headers=_bearer(token))
            response.raise_for_status()
            return dict(response.json())

    # -- logout ------------------------------------------------------------------------
    async def logout_url(self, request: Request, return_to: str) -> str | None:
        """The provider's end-session page (back to `return_to`), or None when it has none
        or cannot be reached; the local session is ended either way."""
        stored = request.session.get(SESSION_KEY)
        if not isinstance(stored, dict):
            return None
        try:
            metadata = await self.metadata()
        except AuthError:
            return None
        endpoint = self.settings.end_session_uri or metadata.get("end_session_endpoint")
        if not endpoint:
            return None
        params = {"post_logout_redirect_uri": return_to, "client_id": self.settings.client_id}
        if stored.get("idt"):
            params["id_token_hint"] = stored["idt"]
        return add_params_to_uri(endpoint, params)

    def install(self, admin: Any) -> None:
        from .oidc_routes import install_oidc_routes

        install_oidc_routes(admin, self)


def access_token(request: Request) -> str | None:
    """The logged-in user's current access token, for calling APIs on their behalf; kept
    only with ``OIDCSettings(keep_access_token=True)`` (``OIDC_KEEP_ACCESS_TOKEN=1``)."""
    stored = request.session.get(SESSION_KEY) if "session" in request.scope else None
    return stored.get("at") if isinstance(stored, dict) else None


def oidc_login(username: str, password: str,
               settings: OIDCSettings | None = None) -> dict[str, Any]:
    """Log in with the password grant against the provider in ``OIDC_SECRETS`` (or
    `settings`): the user dict (``username``, ``name``, ``groups``, ``email``, ``token``), or
    `AuthError` (bad password 401, outside ``ALLOWED_GROUPS`` 403, provider down 502).

    The backend is kept per settings, so the discovery document is fetched once, not per
    login; changed settings (or environment) get a new one."""
    return _backend_for(settings or OIDCSettings.from_env()).authenticate(username, password)


@functools.lru_cache(maxsize=8)
def _backend_for(settings: OIDCSettings) -> OIDCBackend:
    return OIDCBackend(settings)


__all__ = ["OIDCBackend", "OIDCSettings", "access_token", "oidc_login", "user_from_claims"]
