"""Clearly labelled demo accounts, one per role, written to the credentials file in development mode.

They exist for the synthetic sample data only: production mode refuses them (see auth.guard).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import bcrypt
import yaml

from auth.config import credentials_path, current_mode
from auth.errors import AuthConfigError

DEMO_COOKIE_KEY = "demo-cookie-key-change-me-before-production"
COOKIE_NAME = "conexion_sign_in"
HEADER = (
    "# Conexión territorial: DEMO accounts for the synthetic sample data (development mode only).\n"
    "# Production mode refuses this file. See docs/sign-in.md to write real accounts.\n"
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    name: str
    role: str
    municipalities: tuple[str, ...] = ()


# San Pedro Necta, Huehuetenango is GTM 1306 in geo.units.territorial_units().
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("liderazgo", "demo-liderazgo", "Liderazgo (demo)", "leadership"),
    DemoAccount("municipal", "demo-municipal", "Municipalidad de San Pedro Necta (demo)",
                "municipal_official", ("GTM:1306",)),
    DemoAccount("presentador", "demo-presentador", "Presentador (demo)", "presenter"),
    DemoAccount("datos", "demo-datos", "Gestión de datos (demo)", "data_manager"),
)
DEMO_PASSWORDS = {account.username: account.password for account in DEMO_ACCOUNTS}


def _hash(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()


def _account_entry(account: DemoAccount) -> dict:
    return {
        "name": account.name,
        "email": f"{account.username}@demo.invalid",
        "password": _hash(account.password),
        "role": account.role,
        "municipalities": list(account.municipalities),
        "demo": True,
    }


def demo_config() -> dict:
    """The demo credentials file's content, passwords hashed with bcrypt."""
    return {
        "sign_in": {"method": "password"},
        "credentials": {"usernames": {a.username: _account_entry(a) for a in DEMO_ACCOUNTS}},
        "cookie": {"name": COOKIE_NAME, "key": DEMO_COOKIE_KEY, "expiry_days": 1},
    }


def _write_private(path: Path, text: str) -> None:
    """Write `text` to a new file readable by its owner only, creating its folders."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)


def ensure_demo_credentials(path: Path | str | None = None, mode: str | None = None) -> Path | None:
    """In development mode, write the demo credentials file if there is none; the path written, else None."""
    path = Path(path) if path is not None else credentials_path()
    if (mode or current_mode()) != "development" or path.exists():
        return None
    text = HEADER + yaml.safe_dump(demo_config(), sort_keys=False, allow_unicode=True)
    try:
        _write_private(path, text)
    except FileExistsError as error:
        if path.is_file():
            return None  # another session wrote it first
        raise AuthConfigError("config.cannot_write", file=str(path), detail=error.strerror or "exists") from error
    except OSError as error:
        detail = error.strerror or type(error).__name__
        raise AuthConfigError("config.cannot_write", file=str(path), detail=detail) from error
    return path
