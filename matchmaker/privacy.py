"""ID numbers and phones: validation, encryption at rest, keyed hashes and masks. The one place that touches them."""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import unicodedata
from datetime import date
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECKS = "10X98765432"
MOBILE = re.compile(r"^1[3-9]\d{9}$")


def normalise(value: str) -> str:
    """Full-width folded, spaces removed, x upper-cased: how ID numbers and phones are compared."""
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", value)).upper()


def id_check_character(first17: str) -> str:
    return ID_CHECKS[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS)) % 11]


def id_birth_date(number: str) -> date | None:
    """The birth date inside an 18-digit ID number, or None when it is no real date."""
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def id_number_problem(number: str, today: date | None = None) -> str | None:
    """Why an ID number (GB 11643) is not valid, in Chinese, or None when it is."""
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return "身份证号应为18位,最后一位可以是数字或X"
    born = id_birth_date(number)
    if born is None or born > (today or date.today()) or born.year < 1900:
        return "身份证号中的出生日期无效"
    if id_check_character(number[:17]) != number[17]:
        return "身份证号校验码不正确,请核对"
    return None


def phone_problem(phone: str) -> str | None:
    if not MOBILE.match(phone) and not re.fullmatch(r"0\d{2,3}\d{7,8}", phone):
        return "请填写11位手机号码或带区号的固定电话"
    return None


@lru_cache(maxsize=4)
def _keys(secret: str) -> tuple[Fernet, bytes]:
    digest = hashlib.sha512(secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest[:32])), digest[32:]


def _current_keys() -> tuple[Fernet, bytes]:
    return _keys(current_app.config["DATA_KEY"])


def encrypt(value: str) -> str:
    return _current_keys()[0].encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _current_keys()[0].decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("personal data cannot be decrypted with the configured key") from exc


def encrypt_bytes(data: bytes) -> bytes:
    """An uploaded ledger, encrypted while it waits for its preview and import."""
    return _current_keys()[0].encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return _current_keys()[0].decrypt(token)
    except InvalidToken as exc:
        raise ValueError("the file cannot be decrypted with the configured key") from exc


def keyed_hash(kind: str, value: str) -> str:
    """HMAC-SHA256 of a normalised value: finds duplicates without storing the value."""
    message = f"{kind}:{normalise(value)}".encode()
    return hmac.new(_current_keys()[1], message, hashlib.sha256).hexdigest()


def protect(kind: str, value: str | None) -> tuple[str | None, str | None]:
    """(ciphertext, keyed hash) of a value, for the *_encrypted and *_hash columns."""
    if not value:
        return None, None
    value = normalise(value)
    return encrypt(value), keyed_hash(kind, value)


def mask_id_number(number: str | None) -> str | None:
    """The first 6 + last 4 form, for a cadre's detail page only."""
    return None if not number else number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(phone: str | None) -> str | None:
    """138****5678."""
    return None if not phone else phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
