"""The marts recomputed straight from the landing files with polars.

Deliberately shares no code with the dbt models: if both agree, the numbers a
marketer acts on are right; if one drifts, the end-to-end tests say where.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import polars as pl

SEGMENTS = {
    "Champions": "555,554,544,545,454,455,445",
    "Loyal": "543,444,435,355,354,345,344,335",
    "Potential Loyalist": "553,551,552,541,542,533,532,531,452,451,442,441,431,453,433,432,423,"
    "353,352,351,342,341,333,323",
    "New Customers": "512,511,422,421,412,411,311",
    "Promising": "525,524,523,522,521,515,514,513,425,424,413,414,415,315,314,313",
    "Need Attention": "535,534,443,434,343,334,325,324",
    "About To Sleep": "331,321,312,221,213,231,241,251",
    "At Risk": "255,254,245,244,253,252,243,242,235,234,225,224,153,152,145,143,142,135,134,133,125,124",
    "Cannot Lose Them": "155,154,144,214,215,115,114,113",
    "Hibernating": "332,322,233,232,223,222,132,123,122,212,211",
    "Lost": "111,112,121,131,141,151",
}
CODE_TO_SEGMENT = {code: name for name, codes in SEGMENTS.items() for code in codes.split(",")}


def read(landing: Path, entity: str) -> pl.DataFrame:
    files = sorted((landing / entity).rglob("*.csv")) + sorted(landing.glob(f"{entity}.csv"))
    if not files:
        return pl.DataFrame()
    return pl.concat([pl.read_csv(f, infer_schema=False) for f in files], how="diagonal")


def _ts(col: str) -> pl.Expr:
    return pl.col(col).str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False)


def net_revenue_per_order(landing: Path, as_of: date) -> pl.DataFrame:
    orders = read(landing, "orders").with_columns(_ts("ordered_at"), pl.col("amount").cast(pl.Decimal(18, 2)))
    orders = orders.filter(pl.col("ordered_at") < pl.lit(as_of).cast(pl.Datetime))
    returns = read(landing, "returns")
    refunds = (
        returns.with_columns(_ts("returned_at"), pl.col("refund_amount").cast(pl.Decimal(18, 2)))
        .filter(pl.col("returned_at") < pl.lit(as_of).cast(pl.Datetime))
        .group_by("order_id")
        .agg(pl.col("refund_amount").sum().alias("refunds"))
        if returns.height
        else pl.DataFrame(schema={"order_id": pl.String, "refunds": pl.Decimal(18, 2)})
    )
    cancelled = pl.col("status").fill_null("") == "cancelled" if "status" in orders.columns else pl.lit(False)
    return (
        orders.join(refunds, on="order_id", how="left")
        .with_columns(
            pl.when(cancelled)
            .then(pl.lit(0).cast(pl.Decimal(18, 2)))
            .otherwise(pl.col("amount") - pl.col("refunds").fill_null(0))
            .alias("net_revenue"),
            cancelled.alias("is_cancelled"),
        )
        .select("order_id", "customer_id", "ordered_at", "is_cancelled", "net_revenue")
    )


def people(landing: Path) -> pl.DataFrame:
    """source customer_id -> canonical customer_id, by normalised email."""
    customers = read(landing, "customers")
    latest = (
        customers.with_columns(_ts("signed_up_at"), _ts("updated_at"))
        .sort("updated_at", nulls_last=False)
        .unique("customer_id", keep="last")
        .with_columns(pl.col("email").str.strip_chars(" ").str.to_lowercase())
    )
    keyed = latest.with_columns(
        pl.when(pl.col("email").is_not_null())
        .then("email:" + pl.col("email"))
        .otherwise("id:" + pl.col("customer_id"))
        .alias("person")
    )
    canonical = (
        keyed.sort(["signed_up_at", "customer_id"], nulls_last=True)
        .group_by("person", maintain_order=True)
        .first()
        .select("person", pl.col("customer_id").alias("canonical_id"))
    )
    return keyed.join(canonical, on="person").select(
        pl.col("customer_id").alias("source_id"),
        "canonical_id",
        "email",
        "person",
        (pl.col("marketing_consent") == "true").alias("consent"),
        _ts("unsubscribed_at").alias("unsubscribed_at"),
        pl.coalesce("updated_at", "signed_up_at").alias("version_at"),
    )


def rfm(orders: pl.DataFrame, ids: pl.DataFrame, as_of: date, window_days: int = 730) -> pl.DataFrame:
    start = as_of - timedelta(days=window_days)
    window = (
        orders.filter(~pl.col("is_cancelled"), pl.col("ordered_at") >= pl.lit(start).cast(pl.Datetime))
        .join(ids, left_on="customer_id", right_on="source_id", how="left")
        .with_columns(pl.coalesce("canonical_id", "customer_id").alias("cid"))
        .group_by("cid")
        .agg(
            pl.col("ordered_at").max().dt.date().alias("last"),
            pl.col("ordered_at").dt.date().n_unique().alias("frequency"),  # purchase days
            pl.col("net_revenue").sum().alias("monetary"),
        )
        .with_columns((pl.lit(as_of) - pl.col("last")).dt.total_days().alias("recency"))
    )
    n = window.height

    def score(by: str, descending: bool) -> pl.DataFrame:
        # customers at least as good (ties included): equal values, equal scores
        place = pl.col(by).rank("max", descending=descending).cast(pl.Int64)
        return window.select("cid", (6 - (5 * place + n - 1) // n).alias(by + "_score"))

    scored = window.join(score("recency", False), on="cid").join(score("frequency", True), on="cid")
    scored = scored.join(score("monetary", True), on="cid")
    code = pl.concat_str(
        [pl.col(c).cast(pl.String) for c in ("recency_score", "frequency_score", "monetary_score")]
    )
    return scored.with_columns(code.alias("rfm_code")).with_columns(
        pl.col("rfm_code").replace_strict(CODE_TO_SEGMENT).alias("segment")
    )


def erased(landing: Path, ids: pl.DataFrame) -> list[str]:
    """Canonical ids of every person an erasure names (by source id or email), however dated."""
    requests = read(landing, "erasures")
    emails = requests["email"].drop_nulls().str.strip_chars().str.to_lowercase().to_list()
    listed = requests["customer_id"].drop_nulls().to_list()
    named = ids.filter(pl.col("source_id").is_in(listed) | pl.col("email").is_in(emails))
    return sorted(named["canonical_id"].unique().to_list())
