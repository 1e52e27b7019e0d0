"""One module per destination type; file destinations render the rows their tool imports.

`render(members, fields, segment)` returns `customer_id` (the diff key, never written)
followed by the tool's columns in its order, every value a string or null.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from pipelines.export.destinations import (
    generic_csv,
    google_ads,
    hubspot,
    klaviyo,
    mailchimp,
    meta_ads,
    parquet,
)

Renderer = Callable[[pl.DataFrame, dict[str, str] | None, str], pl.DataFrame]

RENDERERS: dict[str, Renderer] = {
    "generic_csv": generic_csv.render,
    "hubspot": hubspot.render,
    "mailchimp": mailchimp.render,
    "klaviyo": klaviyo.render,
    "google_ads": google_ads.render,
    "meta_ads": meta_ads.render,
    "parquet": parquet.render,
    "webhook": generic_csv.render,  # the webhook posts the generic record as JSON
}
