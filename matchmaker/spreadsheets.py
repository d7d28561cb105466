"""Cells for the CSV and XLSX files we hand out: one rule for what a spreadsheet would run.

No Flask and no database, so the pages, the API and the exports all import it (web never
reaches into api for it).
"""
from __future__ import annotations

#: what a spreadsheet reads as the start of a formula: the four leads, and the tab or carriage
#: return some of them skip before one (OWASP "CSV injection")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutral(value):
    """A cell that a spreadsheet would read as a formula is kept as text; others as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutral_row(row) -> list:
    return [neutral(cell) for cell in row]
