"""`.removed` rows in each tool's own terms: what importing the file does must be a removal.

Two kinds of removal, per row (`rapport_action`):
- `remove`: the person left the segment but may still be contacted: take them off this
  list only;
- `unsubscribe`: the person withdrew consent, is suppressed or erased: take them off and
  stop marketing to them in the tool.
Per tool (README "Removals per destination" says how each file is imported):
- generic_csv, parquet: the layout's columns plus `action` (remove | unsubscribe);
- klaviyo: `Email Marketing Consent` is UNSUBSCRIBED for unsubscribe rows and empty for
  remove rows (Klaviyo leaves consent unchanged on an empty value), never SUBSCRIBED;
- mailchimp: a `Status` column, `unsubscribed` or `archived` (Mailchimp's own statuses);
- hubspot: `Marketing contact status` is `Non-marketing contact` for unsubscribe rows and
  `rapport_action` tells the list-removal import which rows to take off the list;
- google_ads, meta_ads: the add layout unchanged (both platforms' "remove customers"
  upload takes the same hashed columns as the add upload);
- webhook: the `remove` operation carries the records with `action`.
"""

from __future__ import annotations

import polars as pl

KLAVIYO_CONSENT = "Email Marketing Consent"


def removal_rows(kind: str, removed: pl.DataFrame, unsubscribe_ids: pl.Series) -> pl.DataFrame:
    """`removed` (as last exported, key column first) in the removal layout of `kind`."""
    if kind in ("google_ads", "meta_ads"):
        return removed
    # only the unsubscribers among these rows are hashed: a set of every blocked id (~600k at 1M
    # customers) was built for each of the 33 pairs (~40 ms each), whatever its removals
    among = unsubscribe_ids.filter(unsubscribe_ids.is_in(removed["customer_id"].implode()))
    unsubscribe = pl.col("customer_id").is_in(among.implode())
    action = pl.when(unsubscribe).then(pl.lit("unsubscribe")).otherwise(pl.lit("remove"))
    if kind == "klaviyo":
        consent = pl.when(unsubscribe).then(pl.lit("UNSUBSCRIBED")).otherwise(pl.lit(None, pl.String))
        return removed.with_columns(consent.alias(KLAVIYO_CONSENT), action.alias("rapport_action"))
    if kind == "mailchimp":
        status = pl.when(unsubscribe).then(pl.lit("unsubscribed")).otherwise(pl.lit("archived"))
        return removed.with_columns(status.alias("Status"))
    if kind == "hubspot":
        status = pl.when(unsubscribe).then(pl.lit("Non-marketing contact")).otherwise(pl.lit(None, pl.String))
        return removed.with_columns(status.alias("Marketing contact status"), action.alias("rapport_action"))
    return removed.with_columns(action.alias("action"))
