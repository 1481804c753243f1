"""The sign-in texts: both languages have the same keys and placeholders, and every key the code uses exists."""

import re
import string

from auth.messages import LANGUAGES, MESSAGES, auth_text
from tests.conftest import ROOT


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_has_both_languages_and_nothing_else():
    assert [key for key, texts in MESSAGES.items() if set(texts) != set(LANGUAGES)] == []


def test_both_languages_have_the_same_placeholders():
    assert [key for key, t in MESSAGES.items() if _placeholders(t["es"]) != _placeholders(t["en"])] == []


def test_no_empty_message():
    assert [key for key, t in MESSAGES.items() for lang in LANGUAGES if not t[lang].strip()] == []


def test_every_literal_key_used_in_the_code_exists():
    sources = [*(ROOT / "auth").glob("*.py"), ROOT / "ui" / "sign_in.py"]
    used = {key for path in sources
            for key in re.findall(r"""auth_text\(\s*["']([a-z_.]+)["']""", path.read_text(encoding="utf-8"))}
    problem_keys = r"""\(\s*"(problem\.[a-z_]+)","""
    used |= {key for path in sources for key in re.findall(problem_keys, path.read_text(encoding="utf-8"))}
    assert used and sorted(used - set(MESSAGES)) == []


def test_auth_text_fills_placeholders_and_falls_back_to_spanish():
    assert auth_text("sidebar.role", "en", role="Presenter") == "Role: Presenter"
    assert auth_text("sign_in.wrong", "es") == "Usuario o contraseña incorrectos."
    assert auth_text("sign_in.wrong", "en") == "Wrong username or password."
    assert auth_text("sign_in.wrong", "fr") == "Usuario o contraseña incorrectos."
