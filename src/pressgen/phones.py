"""Phone numbers as people write them (spec §8.6), read with `phonenumbers`.

`(212) 555-0143`, `+44 (0)7748 761 999`, `(02) 6277 7111`, `+1 212 555 0143 ext. 12`:
a number without `+` is read for the house's `country`. It must be a *possible*
number there (length and shape), not a *valid* one: the 555-01xx and Ofcom drama
ranges that examples use are possible but unassigned. It is printed as written and
linked as `tel:` + E.164, with `;ext=N` for an extension (RFC 3966).
"""

from __future__ import annotations

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

from pressgen.model import Phone

MAX_PHONE = 60  # no number people write is longer; phonenumbers refuses far longer anyway


class PhoneError(ValueError):
    """Not a phone number; the message says how to write it."""


def read_phone(text: str, country: str, label: str | None = None) -> Phone:
    written = " ".join(text.split())
    try:
        if len(written) > MAX_PHONE:
            raise NumberParseException(NumberParseException.TOO_LONG, "too long")
        number = phonenumbers.parse(written, country)
    except NumberParseException:
        number = None
    if number is None or not phonenumbers.is_possible_number(number):
        raise PhoneError(f"is not a phone number that can be dialled from {country}; write "
                         "it as people dial it, e.g. `020 7946 0000` or `+44 20 7946 0000` (a "
                         "number from another country needs its +code; the house's `country` "
                         "says where numbers without one are)")
    tel = "tel:" + phonenumbers.format_number(number, PhoneNumberFormat.E164)
    if number.extension:
        tel += f";ext={number.extension}"
    return Phone(written, tel, label)
