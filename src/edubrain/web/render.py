"""What every page handler shares: the home, the session, the templates, and how errors are shown."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from edubrain.errors import EduBrainError
from edubrain.governance.identity import Principal
from edubrain.governance.policy import role
from edubrain.home import Home
from edubrain.web.cockpit import IndicatorCache
from edubrain.web.labels import dataset_title
from edubrain.web.messages import LANGS, MESSAGES, pick, t
from edubrain.web.navigation import nav_items, no_cockpit_note, tab_items
from edubrain.web.session import LANG_COOKIE, WebSession, open_session

logger = logging.getLogger(__name__)
WEB = Path(__file__).parent
TEMPLATES = Jinja2Templates(directory=str(WEB / "templates"))
TEMPLATES.env.globals.update(pick=pick, no_cockpit_note=no_cockpit_note, dataset_title=dataset_title)
_DICT_ATTRIBUTES = frozenset(dir(dict))
_JINJA_GETATTR = TEMPLATES.env.getattr


def template_getattr(obj: Any, attribute: str) -> Any:
    """``obj.attribute`` in a template: Jinja's rule (the attribute, else the item), without its exception for dicts.

    Jinja tries ``getattr`` first and falls back to ``obj[attribute]`` after an ``AttributeError``; the pages pass
    dicts (a profile's indicator table has hundreds of cells), and raising that error for every ``cell.text`` was
    a tenth of a page's rendering. A plain dict has no attributes but its methods, so for any other name the item
    is what Jinja would return; the answer is the same for every object.
    """
    if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
        try:
            return obj[attribute]
        except KeyError:
            return TEMPLATES.env.undefined(obj=obj, name=attribute)
    return _JINJA_GETATTR(obj, attribute)


TEMPLATES.env.getattr = template_getattr  # type: ignore[method-assign]
STATUS_OF_ERROR = {"access_denied": 403, "auth_error": 401, "unknown_dataset": 404, "not_found": 404}


def app_home(request: Request) -> Home:
    """The app's home (``app.state.home``, set by ``create_app``; else one from the environment)."""
    state = request.app.state
    if getattr(state, "home", None) is None:
        state.home = Home()
    return state.home  # type: ignore[no-any-return]


def indicator_cache(request: Request) -> IndicatorCache:
    """The app's cockpit cache (one per app)."""
    state = request.app.state
    if getattr(state, "web_indicators", None) is None:
        state.web_indicators = IndicatorCache()
    return state.web_indicators  # type: ignore[no-any-return]


class NotFound(EduBrainError):
    """A page, organisation or record that does not exist (or is not visible)."""

    code = "not_found"


def out_of_scope() -> NotFound:
    """The error for an organisation or record outside the user's scope."""
    return NotFound(t("out_of_scope", "zh"), t("out_of_scope", "en"))


@dataclass
class Page:
    """One page request: the home, the session and helpers to answer it."""

    request: Request
    home: Home
    web: WebSession

    @property
    def principal(self) -> Principal:
        """The logged-in principal (pages call :func:`open_page` with ``login=True`` first)."""
        assert self.web.principal is not None
        return self.web.principal

    @property
    def lang(self) -> str:
        """``zh`` or ``en``."""
        return self.web.lang

    def t(self, key: str, **values: object) -> str:
        """A message in the page's language."""
        return t(key, self.lang, **values)

    def _finish(self, response: Response) -> Response:
        return self.web.apply(response, secure=self.home.settings.env == "production")

    def render(self, template: str, status_code: int = 200, **context: Any) -> Response:
        """Render ``template`` with the page's context."""
        base = base_context(self.request, self.web.lang, self.web.principal, self.web.csrf_token)
        response = TEMPLATES.TemplateResponse(self.request, template, {**base, **context}, status_code=status_code)
        return self._finish(response)

    def redirect(self, url: str) -> Response:
        """A 303 redirect (after a form post, or to the login page)."""
        if self.request.headers.get("HX-Request"):
            response: Response = HTMLResponse("", headers={"HX-Redirect": url})
        else:
            response = RedirectResponse(url, status_code=303)
        return self._finish(response)

    def login_redirect(self) -> Response:
        """Send an anonymous visitor to the login page, coming back here afterwards."""
        target = self.request.url.path + (f"?{self.request.url.query}" if self.request.url.query else "")
        return self.redirect(f"/login?next={quote(target, safe='')}")

    def error(self, exc: EduBrainError, status_code: int | None = None, partial: bool = False) -> Response:
        """Show a library error in the page's language (both languages are in the error)."""
        code = status_code or STATUS_OF_ERROR.get(exc.code, 400)
        template = "_error.html" if partial else "error.html"
        heading = self.t(error_heading(code))
        return self.render(template, status_code=code, error=exc, message=exc.message(self.lang), heading=heading)


def base_context(request: Request, lang: str, principal: Principal | None, csrf_token: str) -> dict[str, Any]:
    """What every template gets: the language, the user and their roles, the links they may use, the form token."""
    roles = (
        []
        if principal is None
        else [pick(lang, role(g.role).title_zh, role(g.role).title_en) for g in principal.grants]
    )
    other = "en" if lang == "zh" else "zh"
    nav = nav_items(app_home(request), principal, request.url.path)
    url = request.url.include_query_params(lang=other)
    return {
        "lang": lang,
        "t": lambda key, **v: t(key, lang, **v),
        "principal": principal,
        "role_titles": ("、" if lang == "zh" else ", ").join(dict.fromkeys(roles)),
        "path": request.url.path,
        "query": str(request.url.query),
        "other_lang": other,
        "lang_url": f"{url.path}?{url.query}",
        "csrf_token": csrf_token,
        "nav": nav,
        "tabs": tab_items(app_home(request), principal, request.url.path),
    }


def error_heading(status_code: int) -> str:
    """The message key of an error page's heading for an HTTP status (``err_404`` …; else ``error``)."""
    key = f"err_{status_code}"
    return key if key in MESSAGES else "error"


def error_page(request: Request, exc: EduBrainError, status_code: int, template: str = "error.html") -> Response:
    """An error page for a request answered without opening its session (a refused cross-site post, a 500)."""
    cookie = request.cookies.get(LANG_COOKIE)
    lang = cookie if cookie in LANGS else app_home(request).settings.lang
    context = {
        **base_context(request, lang, None, ""),
        "error": exc,
        "message": exc.message(lang),
        "heading": t(error_heading(status_code), lang),
    }
    return TEMPLATES.TemplateResponse(request, template, context, status_code=status_code)


def html_error(request: Request, status_code: int, body: dict[str, Any]) -> Response:
    """The page of an error the app answered for a browser (:func:`edubrain.api.errors.answer_error`).

    ``body`` is the one JSON error shape. The page is in the site's layout with the user's navigation; a 500
    opens no session (the database may be what failed). An HTMX request gets the error fragment alone.
    """
    exc = EduBrainError(str(body.get("message_zh", "")), str(body.get("message_en", "")), **body.get("details", {}))
    exc.code = str(body.get("code", "error"))
    partial = bool(request.headers.get("HX-Request"))
    if status_code < 500:
        try:
            page = open_page(request)
        except Exception:  # an error page must not fail: show it to an anonymous visitor instead
            logger.warning("the session of an error page could not be opened", exc_info=True)
        else:
            return page.error(exc, status_code, partial)
    return error_page(request, exc, status_code, "_error.html" if partial else "error.html")


def open_page(request: Request) -> Page:
    """The :class:`Page` of a request (the principal is None when nobody is logged in)."""
    home = app_home(request)
    return Page(request, home, open_session(request, home))
