"""The catalogue: a few hundred products whose margin and return rate depend on the category."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

# name: (share of catalogue, median price, price spread, margin range, return rate, nouns)
CATEGORIES: dict[str, tuple[float, float, float, tuple[float, float], float, str]] = {
    "Apparel": (0.25, 35, 0.5, (0.55, 0.7), 0.13, "Tee|Hoodie|Chinos|Dress|Jacket|Scarf"),
    "Footwear": (0.10, 70, 0.4, (0.45, 0.6), 0.15, "Sneakers|Boots|Sandals|Loafers"),
    "Beauty": (0.12, 18, 0.5, (0.6, 0.75), 0.02, "Face Serum|Lip Balm|Shampoo|Kajal"),
    "Home": (0.15, 40, 0.7, (0.4, 0.55), 0.04, "Mug, Set of 4|Cushion|Lamp|Throw|Vase"),
    "Electronics": (0.10, 120, 0.8, (0.12, 0.25), 0.05, "Earbuds|Charger|Speaker|Smartwatch"),
    "Grocery": (0.08, 9, 0.5, (0.2, 0.35), 0.005, "Masala Chai|Coffee Beans|Olive Oil|Honey"),
    "Books": (0.08, 15, 0.4, (0.3, 0.4), 0.015, "Cookbook|Novel|Atlas|Journal"),
    "Toys": (0.07, 25, 0.6, (0.4, 0.55), 0.03, "Puzzle|Plush Bear|Building Set|Kite"),
    "Jewellery": (0.05, 90, 0.8, (0.6, 0.8), 0.07, "Ring|Bangle|Pendant|Earrings"),
}
_ADJECTIVES = np.array(
    ["Classic", "Organic", "Everyday", 'The "Original"', "Premium", "Men's", "Women's",
     "Mini", "Handmade", "Eco", "Deluxe"],
    dtype=object,
)  # fmt: skip
N_PRODUCTS = 360


@dataclass(frozen=True)
class Catalogue:
    frame: pl.DataFrame  # the products entity, price and unit_cost in cents
    by_price: np.ndarray  # product positions sorted by price
    price: np.ndarray  # cents, per position
    return_rate: np.ndarray  # per position


def catalogue(rng: np.random.Generator) -> Catalogue:
    names = list(CATEGORIES)
    share = np.array([CATEGORIES[c][0] for c in names])
    cat = np.sort(rng.choice(len(names), size=N_PRODUCTS, p=share / share.sum()))
    median = np.array([CATEGORIES[c][1] for c in names])[cat]
    spread = np.array([CATEGORIES[c][2] for c in names])[cat]
    euros = np.maximum(2, np.round(rng.lognormal(np.log(median), spread)))
    price = (euros * 100 - rng.choice([1, 1, 1, 51, 100], size=N_PRODUCTS)).astype(np.int64)
    low = np.array([CATEGORIES[c][3][0] for c in names])[cat]
    high = np.array([CATEGORIES[c][3][1] for c in names])[cat]
    unit_cost = np.round(price * (1 - rng.uniform(low, high))).astype(np.int64)
    nouns = np.empty(N_PRODUCTS, dtype=object)
    for ci, c in enumerate(names):
        options = np.array(CATEGORIES[c][5].split("|"), dtype=object)
        nouns[cat == ci] = options[rng.integers(0, len(options), int((cat == ci).sum()))]
    adjective = _ADJECTIVES[rng.integers(0, len(_ADJECTIVES), N_PRODUCTS)]
    ids = rng.permutation(N_PRODUCTS) + 10001
    frame = pl.DataFrame(
        {
            "product_id": pl.Series(ids).cast(pl.String).str.pad_start(6, "P"),
            "product_name": (adjective + " " + nouns).astype(str),
            "category": np.array(names)[cat],
            "price": price,
            "unit_cost": unit_cost,
        }
    )
    rate = np.array([CATEGORIES[c][4] for c in names])[cat]
    return Catalogue(frame, np.argsort(price, kind="stable"), price, rate)
