"""The web session: the access and refresh tokens and the form token in cookies (httponly, SameSite=Lax).

A page request carries the access token; when it has expired, the refresh
token is exchanged (and rotated) for a new pair, transparently. Logging out
revokes the access token and the session's refresh token.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request
from fastapi.responses import Response

from edubrain.governance import signin, tokens
from edubrain.governance.identity import Principal
from edubrain.home import Home
from edubrain.web import csrf
from edubrain.web.messages import LANGS, Lang

ACCESS_COOKIE = "edubrain_access"
REFRESH_COOKIE = "edubrain_refresh"
LANG_COOKIE = "lang"


@dataclass
class WebSession:
    """Who is looking at a page, in which language, and the cookies the response must set or clear."""

    principal: Principal | None
    lang: Lang
    csrf_token: str = ""
    set_cookies: dict[str, tuple[str, int]] = field(default_factory=dict)
    clear_cookies: list[str] = field(default_factory=list)

    def apply(self, response: Response, secure: bool) -> Response:
        """Write the pending cookie changes onto ``response``."""
        for name, (value, max_age) in self.set_cookies.items():
            response.set_cookie(
                name, value, max_age=max_age, httponly=name != LANG_COOKIE, samesite="lax", secure=secure, path="/"
            )
        for name in self.clear_cookies:
            response.delete_cookie(name, path="/")
        return response


def request_lang(request: Request, home: Home) -> tuple[Lang, bool]:
    """The page language and whether it was chosen by the ``lang`` query parameter now."""
    asked = request.query_params.get("lang")
    if asked in LANGS:
        return asked, True  # type: ignore[return-value]
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in LANGS:
        return cookie, False  # type: ignore[return-value]
    return home.settings.lang, False


def open_session(request: Request, home: Home) -> WebSession:
    """The session of ``request``: its principal (refreshing an expired access token) and language."""
    lang, chosen = request_lang(request, home)
    web = WebSession(principal=None, lang=lang)
    if chosen:
        web.set_cookies[LANG_COOKIE] = (lang, 365 * 24 * 3600)
    web.csrf_token = request.cookies.get(csrf.cookie_name(home.settings.env == "production")) or ""
    if not web.csrf_token:
        _new_csrf_token(web, home)
    access = request.cookies.get(ACCESS_COOKIE)
    refresh = request.cookies.get(REFRESH_COOKIE)
    if not access and not refresh:
        return web
    web.principal, pair = signin.session_principal(home, access, refresh)
    if pair is not None:
        _remember(web, home, pair)
    # The cookies are left as they are: when two requests of one page refresh at once, the loser's answer must
    # not delete the pair the winner has just set. Stale cookies only send the visitor to the login page.
    return web


def _new_csrf_token(web: WebSession, home: Home) -> None:
    """A new form token for the session (see :mod:`edubrain.web.csrf`), kept as long as a refresh token."""
    web.csrf_token = csrf.new_token()
    name = csrf.cookie_name(home.settings.env == "production")
    web.set_cookies[name] = (web.csrf_token, home.settings.refresh_token_days * 24 * 3600)


def _remember(web: WebSession, home: Home, pair: tokens.TokenPair) -> None:
    web.set_cookies[ACCESS_COOKIE] = (pair.access_token, home.settings.refresh_token_days * 24 * 3600)
    web.set_cookies[REFRESH_COOKIE] = (pair.refresh_token, home.settings.refresh_token_days * 24 * 3600)


def log_in(web: WebSession, home: Home, username: str, password: str) -> Principal:
    """Check the password (audited, throttled) and put a new token pair in the session's cookies.

    Raises:
        AuthError: wrong username or password, disabled or locked account.
    """
    principal, pair = signin.password_tokens(home, username, password)
    _remember(web, home, pair)
    _new_csrf_token(web, home)  # a token seen before logging in is not the new session's
    web.principal = principal
    return principal


def log_out(request: Request, web: WebSession, home: Home) -> None:
    """Revoke the access token and this session's refresh token; clear the cookies."""
    signin.log_out(home, web.principal, request.cookies.get(ACCESS_COOKIE), request.cookies.get(REFRESH_COOKIE))
    web.principal = None
    web.clear_cookies += [ACCESS_COOKIE, REFRESH_COOKIE]
