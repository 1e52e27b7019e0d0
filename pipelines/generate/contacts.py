"""Countries, phone numbers and email addresses, with the mess real sign-up forms collect."""

from __future__ import annotations

import numpy as np
import polars as pl

# code: (share of customers, order value multiplier, email domains, phone formats)
# Phone formats: '#' any digit, 'N' 1-9, 'M' 6-9 (Indian mobiles), drawn from the people's stream;
# 'd' any digit, 'n' 2-9 and 'A...' one of the country's AREAS, drawn from the phone stream (see
# `phones`); the rest is literal.
COUNTRIES: dict[str, tuple[float, float, tuple[str, ...], tuple[str, ...]]] = {
    "IN": (
        0.30,
        0.7,
        ("gmail.com", "gmail.com", "yahoo.co.in", "rediffmail.com", "outlook.com"),
        ("+91 M#### #####", "0M#### #####", "M#########", "+91M#########"),
    ),
    "US": (
        0.18,
        1.25,
        ("gmail.com", "gmail.com", "yahoo.com", "outlook.com", "icloud.com", "aol.com"),
        ("(AAA) n##-N##d", "+1 AAA-n##-N##d", "AAA.n##.N##d", "1-AAA-n##-N##d"),
    ),
    "GB": (
        0.10,
        1.1,
        ("gmail.com", "hotmail.co.uk", "outlook.com", "btinternet.com"),
        ("+44 AAdd ###ddd", "0AAdd ###ddd", "+44AAdd###ddd"),
    ),
    "DE": (
        0.07,
        1.1,
        ("gmail.com", "web.de", "gmx.de", "t-online.de"),
        ("+49 15# ########", "015# ########", "+49 (0)17# #######"),
    ),
    "FR": (
        0.06,
        1.05,
        ("gmail.com", "orange.fr", "free.fr", "laposte.net"),
        ("+33 6 ## ## ## ##", "06 ## ## ## ##", "+33 (0)7 ## ## ## ##"),
    ),
    "ES": (0.04, 0.95, ("gmail.com", "hotmail.es", "yahoo.es"), ("+34 6## ### ###", "6## ## ## ##")),
    "CA": (0.05, 1.15, ("gmail.com", "outlook.com", "yahoo.ca"), ("(AAA) n##-N##d", "+1 AAA-n##-N##d")),
    "AU": (0.03, 1.2, ("gmail.com", "bigpond.com", "outlook.com"), ("+61 4## ### ###", "04## ### ###")),
    "BD": (0.04, 0.6, ("gmail.com", "yahoo.com"), ("+880 17##-######", "017##-######")),
    "AE": (0.05, 1.3, ("gmail.com", "hotmail.com", "outlook.com"), ("+971 5# ### ####", "05# ### ####")),
    "SA": (0.02, 1.2, ("gmail.com", "hotmail.com"), ("+966 5# ### ####", "05# ### ####")),
    "CN": (0.03, 0.9, ("qq.com", "163.com", "gmail.com"), ("+86 13# #### ####", "13# #### ####")),
    "JP": (0.03, 1.1, ("gmail.com", "yahoo.co.jp", "docomo.ne.jp"), ("+81 90-####-####", "090-####-####")),
}
# The 'A...' of a format: mobile ranges and area codes phonenumbers calls valid (US and Canada,
# both +1, apart), one drawn per number
AREAS: dict[str, str] = {
    "US": "201 202 206 212 213 214 303 305 310 312 404 415 503 512 602 617 702 713 718 801",
    "CA": "204 226 236 250 306 403 416 438 506 514 519 604 613 647 705 780 902 905",
    "GB": "77 78 79",
}
CODES = tuple(COUNTRIES)
SHARES = np.array([c[0] for c in COUNTRIES.values()]) / sum(c[0] for c in COUNTRIES.values())
ORDER_VALUE = np.array([c[1] for c in COUNTRIES.values()])
_DIGITS = {ord("#"): 0, ord("N"): 1, ord("M"): 6}
_FRESH = {ord("d"): 0, ord("n"): 2}
_FOLD = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "è": "e", "ë": "e", "á": "a"}
_FOLD |= {"í": "i", "ó": "o", "ú": "u", "ñ": "n", "ç": "c", "ï": "i", "à": "a", "â": "a"}


def fill_template(
    rng: np.random.Generator, template: str, n: int,
    fresh: np.random.Generator | None = None, areas: tuple[str, ...] = (),
) -> np.ndarray:  # fmt: skip
    """n phone numbers in one format: a byte matrix with random digits at the placeholders.

    'd', 'n' and 'A' come from `fresh` (rng if None), the 'A's one of `areas` per number."""
    t = np.frombuffer(template.encode("ascii"), dtype=np.uint8)
    m = np.tile(t, (n, 1))
    for stream, digits in ((rng, _DIGITS), (fresh or rng, _FRESH)):
        for code, low in digits.items():
            cols = np.flatnonzero(t == code)
            m[:, cols] = stream.integers(48 + low, 58, size=(n, len(cols)), dtype=np.uint8)
    cols = np.flatnonzero(t == ord("A"))
    if len(cols):
        codes = np.frombuffer("".join(areas).encode("ascii"), dtype=np.uint8).reshape(len(areas), len(cols))
        m[:, cols] = codes[(fresh or rng).integers(0, len(areas), n)]
    return m.view(f"S{len(t)}").ravel().astype(str)


def phones(
    rng: np.random.Generator, country: np.ndarray, missing: float, fresh: np.random.Generator | None = None
) -> np.ndarray:
    """Numbers in the formats of each country; '' marks the customers who gave none.

    The people's stream `rng` draws what it drew before the phone stream `fresh` existed (which
    format, which customers gave none, the '#'/'N'/'M' digits), so every other column of a shop
    stayed as it was when GB and North American numbers left their fixed pools (Ofcom's 1,000
    drama numbers, 555-01xx): a fixed pool's numbers are shared by more people the bigger the shop."""
    out = np.full(len(country), "", dtype="<U24")
    for ci, code in enumerate(CODES):
        idx = np.flatnonzero(country == ci)
        formats = COUNTRIES[code][3]
        pick = rng.integers(0, len(formats), len(idx))
        for fi, fmt in enumerate(formats):
            sel = idx[pick == fi]
            out[sel] = fill_template(rng, fmt, len(sel), fresh, tuple(AREAS.get(code, "").split()))
    out[rng.random(len(country)) < missing] = ""
    return out


def _ascii(col: pl.Expr) -> pl.Expr:
    folded = col.str.to_lowercase().str.replace_many(list(_FOLD), list(_FOLD.values()))
    return folded.str.replace_all(r"[^a-z0-9]", "")


def email_locals(first: pl.Expr, last: pl.Expr, style: pl.Expr, year: pl.Expr) -> pl.Expr:
    """The local part of an address as people pick them: first.last, flast, name1987..."""
    f, la = _ascii(first), _ascii(last)
    return (
        pl.when(style == 0)
        .then(pl.concat_str(f, pl.lit("."), la))
        .when(style == 1)
        .then(pl.concat_str(f, la))
        .when(style == 2)
        .then(pl.concat_str(f, pl.lit("_"), la))
        .when(style == 3)
        .then(pl.concat_str(f.str.slice(0, 1), la))
        .when(style == 4)
        .then(pl.concat_str(f, year))
        .otherwise(pl.concat_str(la, pl.lit("."), f))
    )


def mess(email: pl.Expr, style: pl.Expr) -> pl.Expr:
    """What the form stored: mostly lower case, some Title.Case, CAPS, stray spaces."""
    return (
        pl.when(style == 0)
        .then(email)
        .when(style == 1)
        .then(email.str.to_titlecase())
        .when(style == 2)
        .then(email.str.to_uppercase())
        .when(style == 3)
        .then(pl.concat_str(email, pl.lit(" ")))
        .otherwise(pl.concat_str(pl.lit("  "), email.str.to_titlecase()))
    )
