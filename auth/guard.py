"""The production guard: every reason to refuse a sign-in configuration, and the start-up check.

Account problems (no role, unknown role, a municipal official without municipalities,
passwords in plain text…) count in every mode. Demo accounts, demo passwords, default or
short cookie keys and a credentials file inside the project count in production only,
where they make the app refuse to start; development shows the problems as warnings.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import bcrypt

import settings
from auth.accounts import Problem, account_problems, is_bcrypt_hash
from auth.config import accounts, credentials_path, current_mode, identities, load_config, sign_in_method
from auth.demo import DEMO_COOKIE_KEY, DEMO_PASSWORDS, ensure_demo_credentials
from auth.errors import UnsafeConfigurationError
from auth.messages import LANGUAGES, auth_text
from auth.roles import parse_municipality

MODES = ("development", "production")
MIN_COOKIE_KEY_LENGTH = 32
DEFAULT_COOKIE_KEYS = frozenset({
    DEMO_COOKIE_KEY, "some_key", "some_signature_key", "random_signature_key", "abcdef", "key", "secret",
})
COOKIE_FIELDS = ("name", "key", "expiry_days")


def _entries(config: dict) -> list[tuple[str, dict, bool]]:
    """(username, account, needs a password) for every account and identity."""
    with_password = sign_in_method(config) == "password"
    return ([(u, a, with_password) for u, a in accounts(config).items()]
            + [(e, a, False) for e, a in identities(config).items()])


def _unknown_municipalities(username: str, account: dict, known: set) -> list[Problem]:
    values = account.get("municipalities") or []
    parsed = [parse_municipality(v) for v in (values if isinstance(values, list) else [values])]
    return [("problem.unknown_municipality", {"username": username, "value": f"{m[0]}:{m[1]}"})
            for m in parsed if m is not None and m not in known]


def _account_checks(config: dict, known: set | None) -> list[Problem]:
    entries = _entries(config)
    if not entries:
        return [("problem.no_accounts", {})]
    problems: list[Problem] = []
    for username, account, with_password in entries:
        problems += account_problems(username, account, with_password)
        problems += _unknown_municipalities(username, account, known) if known is not None else []
    return problems


def _has_demo_password(username: str, account: dict) -> bool:
    password = account.get("password")
    if username not in DEMO_PASSWORDS or not is_bcrypt_hash(password):
        return False
    return bcrypt.checkpw(DEMO_PASSWORDS[username].encode(), password.encode())


def _demo_checks(config: dict) -> list[Problem]:
    problems: list[Problem] = []
    for username, account, _ in _entries(config):
        if account.get("demo") is True:
            problems.append(("problem.demo_account", {"username": username}))
        elif _has_demo_password(username, account):
            problems.append(("problem.demo_password", {"username": username}))
    return problems


def _cookie_checks(config: dict) -> list[Problem]:
    if sign_in_method(config) != "password":
        return []  # st.login keeps its own cookie secret in secrets.toml
    cookie = config.get("cookie") or {}
    problems: list[Problem] = [("problem.cookie_field", {"field": field})
                               for field in COOKIE_FIELDS if cookie.get(field) in (None, "")]
    key = str(cookie.get("key") or "")
    if key and (key in DEFAULT_COOKIE_KEYS or "changeme" in re.sub(r"[-_ ]", "", key.lower())):
        problems.append(("problem.cookie_default_key", {}))
    elif key and len(key) < MIN_COOKIE_KEY_LENGTH:
        problems.append(("problem.cookie_short_key", {"length": len(key), "minimum": MIN_COOKIE_KEY_LENGTH}))
    return problems


def _location_checks(path: Path | None) -> list[Problem]:
    if path is None or not Path(path).resolve().is_relative_to(settings.PROJECT_ROOT):
        return []
    return [("problem.inside_repository", {"file": str(path)})]


def _problems(config: dict, mode: str, path: Path | None, known: set | None) -> list[Problem]:
    problems: list[Problem] = [] if mode in MODES else [("problem.unknown_mode", {"mode": mode})]
    problems += _account_checks(config, known)
    if mode != "development":  # production, or a mistyped mode: the strictest checks
        problems += _demo_checks(config) + _cookie_checks(config) + _location_checks(path)
    return problems


def production_problems(config: dict, mode: str, lang: str = "es", *, path: Path | str | None = None,
                        known_municipalities: set[tuple[str, str]] | None = None) -> list[str]:
    """Every reason to refuse `config` in `mode`, as sentences in `lang`; empty when it is safe.

    `path` (the credentials file) is checked to be outside the project; `known_municipalities`,
    when given, are the (country, code) pairs an account's municipalities must be among.
    """
    found = _problems(config, mode.strip().lower(), Path(path) if path else None, known_municipalities)
    return [auth_text(key, lang, **params) for key, params in found]


def _known_municipalities() -> set[tuple[str, str]]:
    from geo.units import territorial_units

    units = territorial_units()
    municipalities = units[units["level"] == "municipality"]
    return set(zip(municipalities["country"], municipalities["code"]))


@lru_cache(maxsize=8)
def _problems_of_file(path: str, mode: str, mtime_ns: int, size: int) -> dict[str, tuple[str, ...]]:
    """The file's problems in every language, computed again only when the file changes."""
    config = load_config(path)
    known = _known_municipalities()
    return {lang: tuple(production_problems(config, mode, lang, path=path, known_municipalities=known))
            for lang in LANGUAGES}


def assert_safe_to_start(lang: str = "es") -> list[str]:
    """Check the sign-in configuration at start-up; the problems in `lang` as warnings in development.

    Writes the demo accounts in development when there is no credentials file. Raises
    AuthConfigError if the file is unusable, and UnsafeConfigurationError (listing every
    problem in both languages) in production or with an unknown mode when anything is wrong.
    """
    mode, path = current_mode(), credentials_path()
    ensure_demo_credentials(path, mode)
    load_config(path)  # clear errors for a missing or broken file, never cached
    stat = path.stat()
    problems = _problems_of_file(str(path), mode, stat.st_mtime_ns, stat.st_size)
    if mode != "development" and problems["es"]:
        raise UnsafeConfigurationError(str(path), {lang: list(found) for lang, found in problems.items()})
    return list(problems.get(lang, problems["es"]))
