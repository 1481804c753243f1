"""Disclosure control of published counts: primary and complementary suppression, and their audit."""

from privacy.audit import AuditResult, audit
from privacy.cells import TOTAL, CellTable, hierarchy, link, one_way, rename, two_way
from privacy.frames import protect_frame, protect_hierarchy, protect_levels, protect_two_way
from privacy.suppression import primary, protect

__all__ = ["TOTAL", "AuditResult", "CellTable", "audit", "hierarchy", "link", "one_way", "primary", "protect",
           "protect_frame", "protect_hierarchy", "protect_levels", "protect_two_way", "rename", "two_way"]
