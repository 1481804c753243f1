"""Command line: print the bcrypt hash of a password, to paste into the credentials file.

Usage: python -m auth.hash_password  (asks for the password twice; it is never echoed or stored).
"""

from __future__ import annotations

import getpass
import sys

import bcrypt


def hash_password(password: str) -> str:
    """The bcrypt hash of `password` (a new salt each time)."""
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()


def main() -> int:
    """Ask for a password twice and print its hash; 1 if they differ or it is empty."""
    first = getpass.getpass("Contraseña / Password: ")
    second = getpass.getpass("Repítala / Repeat it: ")
    if not first or first != second:
        print("Las contraseñas no coinciden o están vacías. / The passwords differ or are empty.", file=sys.stderr)
        return 1
    print(hash_password(first))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
