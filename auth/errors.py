"""Typed sign-in errors, each able to say what went wrong in Spanish and in English.

`str(error)` is Spanish then English, for server logs; the UI shows `error.message(lang)`.
"""

from __future__ import annotations

from auth.messages import LANGUAGES, auth_text


class AuthError(Exception):
    """Base of the sign-in package's errors."""

    def message(self, lang: str) -> str:
        raise NotImplementedError

    def __str__(self) -> str:
        return "\n".join(self.message(lang) for lang in LANGUAGES)


class AuthConfigError(AuthError):
    """The credentials file is missing, unreadable or not in the expected format."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str) -> str:
        return auth_text(self.key, lang, **self.params)


class UnsafeConfigurationError(AuthError):
    """Production mode refuses to start; `problems` lists the reasons by language."""

    def __init__(self, file: str, problems: dict[str, list[str]]) -> None:
        super().__init__(file)
        self.file = file
        self.problems = problems

    def message(self, lang: str) -> str:
        lines = [auth_text("unsafe.title", lang, file=self.file)]
        lines += [f"- {problem}" for problem in self.problems.get(lang, self.problems["es"])]
        return "\n".join(lines)

    def __str__(self) -> str:
        return "\n\n".join(self.message(lang) for lang in LANGUAGES)
