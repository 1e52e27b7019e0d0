"""The e-mail addresses whose shape email_validator certainly accepts, by regex over Arrow.

`validate_email(value, check_deliverability=False)` (email_validator 2.x, its defaults) costs
~27 µs an address in Python. For the plain shape below its verdict is known to be "valid":
an ASCII dot-atom local part (RFC 5322 atext, no quotes, no leading, trailing or doubled dot),
one @, a domain of at least two labels of letters and digits with single inner hyphens (no "--",
so no Punycode and no R-LDH label), each at most 63 characters, a TLD of letters only that is not
a special-use name, and at most 254 characters in all (the domain then has at most 253; ASCII,
so characters are bytes and nothing is normalised but the domain's case). Everything else
(Unicode, quoted local parts, display names, IP literals, other TLDs, any invalid address) is
left to email_validator. tests/test_email_shapes.py checks with Hypothesis that the shape never
says valid where email_validator does not.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

_ATEXT = "A-Za-z0-9_!#$%&'*+/=?^`{|}~-"  # RFC 5322 3.2.3 atext: email_validator's ATEXT
_LABEL = "[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*"
SHAPE = rf"^[{_ATEXT}]+(?:\.[{_ATEXT}]+)*@(?:{_LABEL}\.)+[A-Za-z]+$"
# email_validator's SPECIAL_USE_DOMAIN_NAMES, all single labels: a domain of two or more labels
# is one of them (or under one) exactly when its last label is
SPECIAL_USE_TLD = r"\.(?i:arpa|invalid|local|localhost|onion|test)$"
LONG_LABEL = r"@.*[A-Za-z0-9-]{64}"  # a run of 64 letters, digits, hyphens after the @: a label
MAX_LENGTH = 254  # email_validator's EMAIL_MAX_LENGTH, in bytes


def certainly_valid(addresses: pa.Array) -> pa.Array:
    """True where the address has SHAPE (email_validator accepts it), False elsewhere and for null."""
    sure = pc.and_(
        pc.match_substring_regex(addresses, SHAPE),
        pc.less_equal(pc.binary_length(addresses), MAX_LENGTH),
    )
    sure = pc.and_not(sure, pc.match_substring_regex(addresses, SPECIAL_USE_TLD))
    sure = pc.and_not(sure, pc.match_substring_regex(addresses, LONG_LABEL))
    return pc.fill_null(sure, False)
