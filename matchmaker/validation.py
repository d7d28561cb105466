"""Shared checks of free text and codes: 统一社会信用代码 (GB 32100) and normalised names."""
from __future__ import annotations

import unicodedata

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


#: characters that print as nothing: a title of only these is no title
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u180e\u00ad"))


def normalise_text(value: str | None) -> str | None:
    """Full-width folded (NFKC), invisible characters removed and trimmed: the one text filter
    of every form, and how names, items, units and products are compared."""
    if not isinstance(value, str):
        return value
    return unicodedata.normalize("NFKC", value).translate(ZERO_WIDTH).strip()


def normalise_credit_code(value: str | None) -> str | None:
    """Folded, spaces removed and upper-cased, as the code is printed on a business licence."""
    text = normalise_text(value)
    return "".join(text.split()).upper() if text else text


def credit_check_character(first17: str) -> str:
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """Why a 统一社会信用代码 is not valid, in Chinese, or None when it is."""
    if len(code) != 18:
        return "统一社会信用代码应为18位"
    if any(c not in CREDIT_ALPHABET for c in code):
        return "统一社会信用代码只能包含数字和大写字母(不含I、O、Z、S、V)"
    if credit_check_character(code[:17]) != code[17]:
        return "统一社会信用代码校验位不正确,请核对"
    return None
