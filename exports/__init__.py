"""Exports: chart images (kaleido with Debian's Chromium) and the one-page municipal factsheet (fpdf2)."""
