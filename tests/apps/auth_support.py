"""Shared test helpers for the sign-in package: credentials files written in temporary folders."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import bcrypt
import yaml

from auth.demo import demo_config

STRONG_KEY = "k3Jx9vQ2mW7pL4tZ8rN5sB1cF6hD0gYe"  # 32 characters, not a default


def quick_hash(password: str) -> str:
    """A real bcrypt hash at the lowest cost, to keep tests fast."""
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4)).decode()


@lru_cache(maxsize=1)
def demo_text() -> str:
    """The demo credentials file, hashed once per test session (bcrypt at full cost is slow)."""
    return yaml.safe_dump(demo_config(), sort_keys=False, allow_unicode=True)


def account(role: str, password: str | None = "secreto-largo", **extra) -> dict:
    entry = {"name": f"Persona {role}", "email": f"{role}@example.org", "role": role, **extra}
    if password is not None:
        entry["password"] = quick_hash(password)
    return entry


def production_config() -> dict:
    """A configuration production accepts: one account per role, hashed passwords, a strong cookie key."""
    return {
        "credentials": {"usernames": {
            "ana": account("leadership"),
            "berta": account("municipal_official", municipalities=["GTM:1306", "GTM:1301"]),
            "carlos": account("presenter"),
            "dora": account("data_manager"),
        }},
        "cookie": {"name": "conexion_sign_in", "key": STRONG_KEY, "expiry_days": 1},
    }


def write_yaml(path: Path, config: dict | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(config if isinstance(config, str) else yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path
