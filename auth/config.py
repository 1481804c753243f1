"""Reading the credentials file (accounts, roles, territories, cookie) and checking its shape.

The file lives outside the repository; its path is the `credentials_file` setting
(environment CONEXION_CREDENTIALS_FILE, Streamlit secrets, or ~/.config/conexion/credentials.yaml).
Its format is streamlit-authenticator's, with `role`, `municipalities` and `demo` added to
each account; see docs/sign-in.md.
"""

from __future__ import annotations

from pathlib import Path

import yaml

import settings
from auth.errors import AuthConfigError

METHODS = ("password", "oidc")


def credentials_path() -> Path:
    """Where the credentials file is, from the `credentials_file` setting (a leading ~ is expanded)."""
    return Path(settings.get("credentials_file")).expanduser()


def current_mode() -> str:
    """The `mode` setting, trimmed and lower-cased ("development" or "production" when valid)."""
    return settings.get("mode").strip().lower()


def _read_yaml(path: Path) -> object:
    if not path.is_file():
        raise AuthConfigError("config.missing", file=str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise AuthConfigError("config.unreadable", file=str(path), detail=type(error).__name__) from error
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else "?"
        raise AuthConfigError("config.invalid_yaml", file=str(path), line=line) from error


def sign_in_method(config: dict) -> str:
    """"password" (streamlit-authenticator, the default) or "oidc" (st.login), from `sign_in.method`."""
    section = config.get("sign_in") or {}
    return str(section.get("method", "password")).strip().lower() if isinstance(section, dict) else "?"


def _lower_keys(section: dict) -> dict:
    return {str(key).strip().lower(): value for key, value in section.items()}


def _require_mapping(config: dict, path: Path, *names: str) -> dict:
    """The nested section config[names[0]][names[1]]…, which must be a mapping."""
    section: object = config
    for name in names:
        section = section.get(name) if isinstance(section, dict) else None
    if not isinstance(section, dict):
        raise AuthConfigError("config.missing_section", file=str(path), section=".".join(names))
    return section


def _check_accounts(accounts: dict, path: Path, section: str) -> dict:
    for username, account in accounts.items():
        if not isinstance(account, dict):
            raise AuthConfigError("config.missing_section", file=str(path), section=f"{section}.{username}")
    return _lower_keys(accounts)


def load_config(path: Path | str | None = None) -> dict:
    """The credentials file as a dict, usernames and identities lower-cased; AuthConfigError if unusable."""
    path = Path(path) if path is not None else credentials_path()
    config = _read_yaml(path)
    if not isinstance(config, dict):
        raise AuthConfigError("config.not_mapping", file=str(path))
    method = sign_in_method(config)
    if method not in METHODS:
        raise AuthConfigError("config.unknown_method", file=str(path), method=method)
    if method == "password" or "credentials" in config:
        credentials = _require_mapping(config, path, "credentials")
        usernames = _require_mapping(config, path, "credentials", "usernames")
        credentials["usernames"] = _check_accounts(usernames, path, "credentials.usernames")
    if method == "password":
        _require_mapping(config, path, "cookie")
    if method == "oidc" or "identities" in config:
        identities = _require_mapping(config, path, "identities")
        config["identities"] = _check_accounts(identities, path, "identities")
    return config


def accounts(config: dict) -> dict[str, dict]:
    """The password accounts of a loaded config, username -> account (empty if none)."""
    return (config.get("credentials") or {}).get("usernames") or {}


def identities(config: dict) -> dict[str, dict]:
    """The organisation identities of a loaded config, email -> account (empty if none)."""
    return config.get("identities") or {}
