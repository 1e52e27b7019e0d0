"""Where an erased person's text form counts inside a cell: not inside a longer value of its kind.

The forms are matched as substrings of a cell's lower case (a form inside a JSON record or a
sentence is theirs), but a substring can be someone else's value: at 1M on day 1 an erased
`vyadav@yahoo.co.in` hit `aaravyadav@yahoo.co.in` and nulled that person's address everywhere
(DECISIONLOG, i22privacy). So an occurrence counts only at a boundary of its kind:
- an e-mail: no letter, digit, `.`, `_`, `+` or `-` before it, and no domain character after it (a
  full stop that ends a sentence is no domain character: `write to anna@x.com.`);
- a phone: no digit after it (a country code or trunk prefix may precede the number);
- any other text (a full name): no letter or digit on either side (`anna smith` is not inside
  `joanna smithers`).
The hashes the ad-platform files carry are 64 hex digits and count anywhere.
"""

from __future__ import annotations

import re

import polars as pl

# what continues an address's local part besides letters and digits; RFC 5322 allows more (= / ' & ?)
# but those separate an address from its neighbours far more often (`?email=`, quotes): a boundary
_LOCAL = frozenset("._+-")
_PHONE = re.compile(r"\+?[0-9]+")


def _word(c: str) -> bool:
    return c.isalnum() or c == "_"


def _counts(low: str, form: str) -> bool:
    """Whether `form` occurs in `low` at a boundary of its kind (module docstring)."""
    email, phone = "@" in form, _PHONE.fullmatch(form) is not None
    start = low.find(form)
    while start >= 0:
        end = start + len(form)
        before, after, then = low[start - 1 : start], low[end : end + 1], low[end + 1 : end + 2]
        if email:
            inside = (before != "" and (_word(before) or before in _LOCAL)) or (
                after != ""
                and (_word(after) or after == "-" or (after == "." and (_word(then) or then == "-")))
            )
        elif phone:
            inside = after.isdecimal()
        else:
            inside = (before != "" and before.isalnum()) or (after != "" and after.isalnum())
        if not inside:
            return True
        start = low.find(form, start + 1)
    return False


def bounded(candidates: pl.DataFrame, texts: list[str], anywhere: frozenset[str]) -> list[str]:
    """The values `v` of `candidates` (columns v, low: values whose `low` holds a form of `texts`)
    in which a form counts; a form in `anywhere` (the hashes) counts wherever it occurs."""
    if candidates.is_empty():
        return []
    found = candidates.with_columns(pl.col("low").str.extract_many(texts, overlapping=True).alias("forms"))
    return [
        v
        for v, low, forms in found.select("v", "low", "forms").iter_rows()
        if any(f in anywhere or _counts(low, f) for f in set(forms))
    ]
