"""The sign-in gate run before every page: the start-up check, the sign-in screen, the account box and sign-out.

Password accounts use streamlit-authenticator's login form and re-authentication cookie;
`sign_in: {method: oidc}` in the credentials file switches to Streamlit's st.login (see
docs/sign-in.md). Nothing below the gate runs until someone is signed in.
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib.util
import json
import sys
from email.utils import format_datetime

import jwt
import streamlit as st
import streamlit.components.v1 as components
import streamlit_authenticator as stauth
from streamlit_authenticator.models import cookie_model
from streamlit_authenticator.utilities import LoginError

from auth.accounts import scope_for_identity, scope_for_username
from auth.audit_log import log_event
from auth.config import accounts, current_mode, load_config, sign_in_method
from auth.demo import COOKIE_NAME, DEMO_ACCOUNTS, ensure_demo_credentials
from auth.errors import AuthConfigError, UnsafeConfigurationError
from auth.guard import assert_safe_to_start
from auth.messages import auth_text
from auth.roles import PAGE_IDS, Role, Scope, parse_municipality
from ui.language import current_language

SCOPE_KEY = "scope"  # where ui.session.current_scope() finds the signed-in user's scope
_SIGN_OUT_KEY = "_sign_in_sign_out_requested"
_SIGNED_OUT_KEY = "_sign_in_signed_out"  # this session signed out: its cookie must go
_LOGGED_KEY = "_sign_in_logged_user"
_FORM_KEY = "sign_in_form"


def _stop() -> None:
    """Stop the run before sign-in behind a hidden navigation that knows every page's address.

    Without an st.navigation call Streamlit would list the files in pages/ in the sidebar,
    and a link to a page (/my_municipality?municipio=1306) would hit "page not found"; with
    these placeholders the address is kept, and after sign-in the real page opens there.
    """
    register_hidden_navigation()
    st.stop()


def register_hidden_navigation() -> None:
    """Placeholders at every page address, hidden: no page list, and links keep their address."""
    placeholders = [st.Page(_nothing, title="Conexión territorial", url_path="sign-in", default=True)]
    placeholders += [st.Page(_nothing, title=page_id, url_path=page_id) for page_id in PAGE_IDS]
    st.navigation(placeholders, position="hidden")


def _nothing() -> None:
    """The placeholder page registered before sign-in; it never runs."""


def check_sign_in_configuration() -> None:
    """Refuse to start on an unsafe or broken configuration; in development, warn in the sidebar."""
    lang = current_language()
    try:
        warnings = assert_safe_to_start(lang)
    except UnsafeConfigurationError as error:
        print(str(error), file=sys.stderr, flush=True)  # the details go to the server log only
        st.error(auth_text("unsafe.page", lang, count=len(error.problems["es"])))
        _stop()
    except AuthConfigError as error:
        st.error(error.message(lang))
        _stop()
    if warnings:
        st.sidebar.warning(auth_text("unsafe.development", lang) + "\n\n" + "\n".join(f"- {w}" for w in warnings))


def require_sign_in() -> Scope:
    """The signed-in user's scope (also stored in st.session_state["scope"]); st.stop() until signed in."""
    lang = current_language()
    try:
        ensure_demo_credentials()
        config = load_config()
    except AuthConfigError as error:
        st.error(error.message(lang))
        _stop()
    if sign_in_method(config) == "oidc":
        scope = _organisation_scope(config, lang)
    else:
        scope = _password_scope(config, lang)
    st.session_state[SCOPE_KEY] = scope
    return scope


# Password accounts (streamlit-authenticator).

class _CookieScript:
    """Stands in for the library's cookie component (extra_streamlit_components.CookieManager).

    The library reads its cookie from the request (st.context.cookies) and, with expiry 0, never
    writes one; the component was left only to delete the cookie at sign-out. Drawn on the sign-in
    screen, it stayed on the first signed-in page and, when that page next ran, reported the new
    cookie and reran it: on a busy server that rerun interrupted what the person had just done (a
    file dropped on the Data page was lost; `python -m benchmarks.upload_race`). Deleting is a
    script that reports nothing, as `_write_cookie` writes."""

    def set(self, *args, **kwargs) -> None:  # pragma: no cover - the library calls it only with expiry > 0
        raise NotImplementedError("the re-authentication cookie is written by ui.sign_in._write_cookie")

    def delete(self, cookie: str, key: str | None = None) -> None:
        _set_browser_cookie(f"{cookie}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/; SameSite=Strict")


def _set_browser_cookie(value: str) -> None:
    """`document.cookie = value` in the page, by a script that reports nothing back (no rerun)."""
    components.html(f"<script>window.parent.document.cookie = {json.dumps(value)};</script>", height=0)


# The library builds its cookie component in CookieModel.__init__ (`stx.CookieManager()`).
cookie_model.stx = type("NoCookieComponent", (), {"CookieManager": _CookieScript})


def _authenticator(credentials: dict, config: dict) -> stauth.Authenticate:
    """The library's authenticator over a private copy of the accounts (it never writes the file).

    Its own cookie writing is off (expiry 0): it would happen inside the sign-in form, which
    is cleared on success; `_remember` writes the cookie outside it instead.
    """
    return stauth.Authenticate(
        credentials, _cookie_name(config), str(config["cookie"].get("key", "")),
        0, auto_hash=False, login_sleep_time=0,
    )


def _cookie_name(config: dict) -> str:
    return str(config["cookie"].get("name", COOKIE_NAME))


def _remember(authenticator: stauth.Authenticate, config: dict) -> str:
    """Write the re-authentication cookie after a sign-in with the form; how the user signed in."""
    st.session_state.pop(_SIGNED_OUT_KEY, None)
    if authenticator.cookie_controller.cookie_model.get_cookie():
        return "cookie"
    _write_cookie(config, st.session_state["username"])
    return "password"


def _write_cookie(config: dict, username: str) -> None:
    """The re-authentication cookie, as the library writes it (a JWT of the username and expiry signed with
    the cookie key), set by a script that reports nothing back: the library's cookie component reports
    its value and reruns the page, so a sign-in took three runs."""
    cookie = config["cookie"]
    days = float(cookie.get("expiry_days", 1))
    if days == 0:
        return
    expires = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=days)
    token = jwt.encode({"username": username, "exp_date": expires.timestamp()}, str(cookie.get("key", "")),
                       algorithm="HS256")
    value = f"{_cookie_name(config)}={token}; expires={format_datetime(expires, usegmt=True)}; path=/; SameSite=Strict"
    _set_browser_cookie(value)


def _signed_in_by_cookie(credentials: dict, config: dict) -> bool:
    """Sign in from a valid re-authentication cookie sent with the page's request (what the library does,
    without drawing its cookie component, whose report reran every page opened with a cookie)."""
    if st.session_state.get(_SIGNED_OUT_KEY) or st.session_state.get("logout"):
        return False  # this session signed out: its cookie may not yet be deleted in the browser
    cookie = config["cookie"]
    token = st.context.cookies.get(_cookie_name(config))
    if not token:
        return False
    try:
        claims = jwt.decode(token, str(cookie.get("key", "")), algorithms=["HS256"])
    except jwt.InvalidTokenError:
        return False
    username, expires = claims.get("username"), claims.get("exp_date")
    account = credentials["usernames"].get(username) if isinstance(username, str) else None
    if account is None or not isinstance(expires, (int, float)) or expires <= dt.datetime.now().timestamp():
        return False
    name = f"{account.get('first_name', '')} {account.get('last_name', '')}".strip() or account.get("name")
    st.session_state.update(email=account.get("email"), name=name,
                            roles=account.get("roles"), authentication_status=True, username=username)
    return True


def _password_scope(config: dict, lang: str) -> Scope:
    credentials = copy.deepcopy(config["credentials"])
    signing_out = st.session_state.pop(_SIGN_OUT_KEY, False) and st.session_state.get("authentication_status")
    method = "session"
    if not signing_out and not st.session_state.get("authentication_status") and _signed_in_by_cookie(
            credentials, config):
        method = "cookie"
    authenticator = None
    # One slot, drawn on every run, for the sign-in screen and then the cookie script: were they drawn
    # only on the run that signs in, every element of the page would move by one position on the next
    # run, and Streamlit would draw each anew, losing what the person was doing there (a file dropped
    # on the Data page during that run was lost; `python -m benchmarks.upload_race`).
    screen = st.empty()
    if signing_out or not st.session_state.get("authentication_status"):
        # Built for the sign-in screen and sign-out only: a signed-in page needs nothing of it.
        authenticator = _authenticator(credentials, config)
        if signing_out:
            authenticator.logout(location="unrendered")  # also deletes the re-authentication cookie
            _forget_session()
            st.session_state[_SIGNED_OUT_KEY] = True
        method = _sign_in_screen(screen, authenticator, credentials, config, lang)
    username = st.session_state.get("username")
    scope = scope_for_username(username, config)
    if scope is None:
        (authenticator or _authenticator(credentials, config)).logout(location="unrendered")
        _refuse_account(username, lang)
    _log_sign_in_once(scope.username, method)
    _account_box(scope, config, lang)
    return scope


def _fields(lang: str) -> dict[str, str]:
    keys = {"Form name": "form", "Username": "username", "Password": "password", "Login": "submit",
            "Captcha": "captcha"}
    return {field: auth_text(f"sign_in.{key}", lang) for field, key in keys.items()}


def _login(authenticator: stauth.Authenticate, lang: str) -> None:
    try:
        authenticator.login(location="main", fields=_fields(lang), key=_FORM_KEY)
    except LoginError:
        # A cookie for an account that no longer exists: ignore it and show the form.
        st.session_state["logout"] = True
        authenticator.login(location="main", fields=_fields(lang), key=_FORM_KEY)


def _failed_username(credentials: dict, before: dict[str, int]) -> str | None:
    """The existing account whose failed attempts went up in this run (None for an unknown username)."""
    for username, account in credentials["usernames"].items():
        if account.get("failed_login_attempts", 0) > before.get(username, 0):
            return username
    return None


def _sign_in_screen(screen, authenticator: stauth.Authenticate, credentials: dict, config: dict,
                    lang: str) -> str:
    """The form (and the demo accounts in development) in the placeholder `screen`; returns only on a
    sign-in ("password" or "cookie"), the form replaced by the cookie script."""
    if st.session_state.get("authentication_status") is False:
        st.session_state["authentication_status"] = None  # a failure is reported once, in its own run
    before = {u: a.get("failed_login_attempts", 0) for u, a in credentials["usernames"].items()}
    column = screen.container().columns([1, 2, 1])[1]
    with column:
        st.title(auth_text("sign_in.title", lang))
        st.caption(auth_text("sign_in.intro", lang))
        _login(authenticator, lang)
    status = st.session_state.get("authentication_status")
    if status:
        screen.empty()  # the page is drawn in this same run, without the form
        with screen:
            return _remember(authenticator, config)
    if status is False:
        column.error(auth_text("sign_in.wrong", lang))
        username = _failed_username(credentials, before)
        log_event("sign_in_failed", username, known_account=username is not None)
    with column:
        _demo_accounts(config, lang)
    if st.session_state.get(_SIGNED_OUT_KEY):
        # The cookie's deletion runs in the browser and a quick rerun can drop it before it does:
        # ask again on every run of the form after a sign-out, so a reload never signs back in.
        authenticator.cookie_controller.delete_cookie()
    _stop()


# Organisation accounts (OpenID Connect through st.login).

def _organisation_configured() -> bool:
    has_section = st.secrets.load_if_toml_exists() and "auth" in st.secrets
    return has_section and importlib.util.find_spec("authlib") is not None


def _provider(config: dict) -> str | None:
    return (config.get("sign_in") or {}).get("provider") or None


def _organisation_scope(config: dict, lang: str) -> Scope:
    if not st.user.get("is_logged_in"):
        _organisation_sign_in_screen(config, lang)
    email = str(st.user.get("email") or "")
    scope = None if st.user.get("email_verified") is False else scope_for_identity(email, config)
    if scope is None:
        _refuse_identity(email, lang)
    _log_sign_in_once(scope.username, "oidc")
    _account_box(scope, config, lang)
    return scope


def _organisation_sign_in_screen(config: dict, lang: str) -> None:
    column = st.columns([1, 2, 1])[1]
    column.title(auth_text("sign_in.title", lang))
    if not _organisation_configured():
        column.error(auth_text("oidc.not_configured", lang))
        _stop()
    column.caption(auth_text("sign_in.intro", lang))
    provider = _provider(config)
    column.button(auth_text("oidc.button", lang), type="primary", on_click=st.login,
                  args=(provider,) if provider else ())
    _stop()


def _refuse_identity(email: str, lang: str) -> None:
    if st.session_state.get(_LOGGED_KEY) != f"refused:{email}":
        log_event("sign_in_failed", email or None, reason="no_access")
        st.session_state[_LOGGED_KEY] = f"refused:{email}"
    st.error(auth_text("oidc.not_authorised", lang, email=email))
    st.button(auth_text("sign_out", lang), on_click=st.logout)
    _stop()


# Shared by both methods.

def _forget_session() -> None:
    st.session_state.pop(SCOPE_KEY, None)
    st.session_state.pop(_LOGGED_KEY, None)


def _log_sign_in_once(username: str, method: str) -> None:
    """One "sign_in" line per session and user, not one per rerun."""
    if st.session_state.get(_LOGGED_KEY) != username:
        log_event("sign_in", username, method=method)
        st.session_state[_LOGGED_KEY] = username


def _refuse_account(username: str | None, lang: str) -> None:
    log_event("sign_in_failed", username, known_account=True, reason="no_valid_role")
    _forget_session()
    st.error(auth_text("sign_in.no_access", lang))
    _stop()


def _request_sign_out(username: str, organisation: bool) -> None:
    """Button callback: log the sign-out; the next run clears the session (and the cookie)."""
    log_event("sign_out", username)
    if organisation:
        _forget_session()
        st.logout()
    else:
        st.session_state[_SIGN_OUT_KEY] = True


def _territory_names(scope: Scope) -> str:
    from geo.units import territorial_units

    units = territorial_units()
    rows = units[units["level"] == "municipality"][["country", "code", "name"]].itertuples(index=False)
    names = {(country, code): name for country, code, name in rows}
    return ", ".join(f"{names.get(m, '?')} ({m[0]} {m[1]})" for m in scope.municipalities)


def _account_box(scope: Scope, config: dict, lang: str) -> None:
    """Name, role, territory and the sign-out button, in the sidebar."""
    box = st.sidebar.container(border=True)
    box.markdown(auth_text("sidebar.signed_in", lang, name=scope.display_name))
    box.caption(auth_text("sidebar.role", lang, role=auth_text(f"role.{scope.role.value}", lang)))
    if scope.is_territorial:
        box.caption(auth_text("sidebar.territory", lang, names=_territory_names(scope)))
    if accounts(config).get(scope.username, {}).get("demo") is True:
        box.caption(f":orange-badge[{auth_text('sidebar.demo', lang)}]")
    organisation = sign_in_method(config) == "oidc"
    box.button(auth_text("sign_out", lang), key="sign_out", on_click=_request_sign_out,
               args=(scope.username, organisation))


def _demo_accounts(config: dict, lang: str) -> None:
    """The demo accounts and their passwords: development mode only, and only accounts marked demo."""
    shown = [a for a in DEMO_ACCOUNTS if accounts(config).get(a.username, {}).get("demo") is True]
    if current_mode() != "development" or not shown:
        return
    box = st.container(border=True)
    box.subheader(auth_text("demo.title", lang))
    box.caption(auth_text("demo.caption", lang))
    header = [auth_text(f"demo.column.{c}", lang) for c in ("username", "password", "role", "territory")]
    rows = [f"| `{a.username}` | `{a.password}` | {auth_text(f'role.{a.role}', lang)} | {_demo_territory(a, lang)} |"
            for a in shown]
    box.markdown("\n".join(["| " + " | ".join(header) + " |", "|---|---|---|---|", *rows]))


def _demo_territory(account, lang: str) -> str:
    if not account.municipalities:
        return auth_text("demo.all_territories", lang)
    scope = Scope(account.username, Role(account.role), tuple(parse_municipality(m) for m in account.municipalities))
    return _territory_names(scope)
