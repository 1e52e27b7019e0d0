"""The bad-input corpus: one small landing file per kind of defect real exports have.

Every case is staged on top of the same clean base landing (three customers, three
orders) and states its exact outcome: the quarantined (line, column, reason) of the case's
file and how many of its rows load, or the exact batch rejection message.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BASE = {
    "customers/date=2024-02-01/customers.csv": b"customer_id,email,marketing_consent\n"
    b"c1,a@example.com,true\nc2,b@example.com,false\nc3,c@example.com,true\n",
    "orders/date=2024-02-01/orders.csv": b"order_id,customer_id,ordered_at,amount,status\n"
    b"o1,c1,2024-02-01 10:00:00,10.00,placed\no2,c2,2024-02-01 11:00:00,20.00,shipped\n"
    b"o3,c3,2024-02-01 12:00:00,30.00,delivered\n",
}
ORDERS = "orders/date=2024-02-02/orders.csv"
OH = b"order_id,customer_id,ordered_at,amount,status\n"
GOOD = b"o10,c1,2024-02-02 09:00:00,5.00,placed\n"
CUSTOMERS = "customers/date=2024-02-02/customers.csv"
CH = b"customer_id,email,phone,birthday,marketing_consent,signed_up_at\n"
EVENTS = "email_events/date=2024-02-02/email_events.csv"
EH = b"event_id,customer_id,event_type,occurred_at\n"
LINES = "order_lines/date=2024-02-02/order_lines.csv"
LH = b"order_line_id,order_id,product_id,quantity,unit_price\n"
NPS = "nps_responses/date=2024-02-02/nps_responses.csv"
NH = b"response_id,customer_id,responded_at,score\n"


@dataclass(frozen=True)
class Case:
    name: str
    path: str
    content: bytes
    loaded: int = 0  # rows of `path` that reach raw
    quarantined: frozenset[tuple[int, str | None, str]] = field(default_factory=frozenset)
    rejected: str | None = None  # the exact BatchRejected message; nothing loads
    extra: tuple[str, ...] = ()  # columns reported as not in the contract
    before: tuple[tuple[str, bytes], ...] = ()  # files committed by an earlier run


def q(*items: tuple[int, str | None, str]) -> frozenset[tuple[int, str | None, str]]:
    return frozenset(items)


def rows(header: bytes, *lines: bytes) -> bytes:
    return header + b"".join(lines)


BIG = b"x" * 200_000
CASES = [
    Case(
        "malformed_quoting",
        ORDERS,
        rows(OH, GOOD, b'o11,"c"1,2024-02-02,5,placed\n'),
        1,
        q((3, "customer_id", "unparseable row")),
    ),
    Case(
        "unterminated_quote",
        ORDERS,
        rows(OH, GOOD, b'o11,c1,2024-02-02,5,"placed\no12,c1\n'),
        1,
        q((3, "status", "unparseable row")),
    ),
    # DuckDB names each column the short record lacks, from the one it cut off on
    Case(
        "truncated_file",
        ORDERS,
        rows(OH, GOOD, b"o11,c1,2024-0"),
        1,
        q((3, "ordered_at", "unparseable row"), (3, "amount", "unparseable row")),
    ),
    Case(
        "too_many_columns",
        ORDERS,
        rows(OH, GOOD, b"o11,c1,2024-02-02,5,placed,oops\n"),
        1,
        q((3, None, "unparseable row")),
    ),
    Case(
        "wrong_delimiter",
        ORDERS,
        b"order_id;customer_id;ordered_at;amount\no11;c1;2024-02-02;5\n",
        1,  # DuckDB's sniffer finds the delimiter (pipelines/load/header.py)
    ),
    Case(
        "unknown_delimiter",
        ORDERS,
        b"order_id#customer_id#ordered_at#amount\no11#c1#2024-02-02#5\n",
        rejected=f"{ORDERS}: missing required columns 'order_id', 'customer_id', 'ordered_at', 'amount'"
        " (map your header with landing config entities.orders.columns)",
    ),
    Case("utf8_bom", ORDERS, b"\xef\xbb\xbf" + rows(OH, GOOD), 1),
    Case(
        "crlf_and_blank_lines",
        ORDERS,
        (OH + GOOD).replace(b"\n", b"\r\n") + b"\r\n" + b"o11,c2,2024-02-02,6,placed\r\n",
        2,
    ),
    Case("multiline_quoted_field", CUSTOMERS, rows(CH, b'c4,"d@example.com",,,true,2024-02-02\n'), 1),
    Case(
        "latin1_line_in_utf8_file",
        CUSTOMERS,
        rows(CH, b"c4,j\xe9r\xf4me@example.com,,,true,2024-02-02\n"),
        0,
        q((2, "email", "bad encoding")),
    ),
    Case(
        "invalid_utf8_bytes",
        ORDERS,
        rows(OH, GOOD, b"o11,c\xff\xfe1,2024-02-02,5,placed\n"),
        1,
        q((3, "customer_id", "bad encoding")),
    ),
    Case(
        "header_not_utf8",
        ORDERS,
        b"order_id,customer_\xffid\n",
        rejected=f"{ORDERS}: unreadable file (header is not UTF-8)",
    ),
    Case(
        "wrong_type_amount",
        ORDERS,
        rows(OH, GOOD, b"o11,c1,2024-02-02,12;50,placed\n"),
        1,
        q((3, "amount", "wrong type")),
    ),
    Case(
        "wrong_type_date",
        ORDERS,
        rows(OH, GOOD, b"o11,c1,31/01/2024,5,placed\n"),
        1,
        q((3, "ordered_at", "wrong type")),
    ),
    Case(
        "impossible_calendar_date",
        ORDERS,
        rows(OH, GOOD, b"o11,c1,2024-02-30 10:00:00,5,placed\n"),
        1,
        q((3, "ordered_at", "wrong type")),
    ),
    Case(
        "fractional_quantity",
        LINES,
        rows(LH, b"l1,o1,p1,1,2.50\n", b"l2,o1,p1,1.5,2.50\n"),
        1,
        q((3, "quantity", "wrong type")),
    ),
    Case(
        "bad_boolean",
        CUSTOMERS,
        rows(CH, b"c4,d@example.com,,,maybe,2024-02-02\n"),
        1,  # an unreadable consent flag loads as "no consent" (fail closed), never quarantined
    ),
    Case(
        "null_key",
        ORDERS,
        rows(OH, GOOD, b",c1,2024-02-02,5,placed\n"),
        1,
        q((3, "order_id", "missing required value")),
    ),
    Case(
        "blank_required_value",
        ORDERS,
        rows(OH, GOOD, b"o11,   ,2024-02-02,5,placed\n"),
        1,
        q((3, "customer_id", "missing required value")),
    ),
    Case(
        "duplicate_key_in_file",
        ORDERS,
        rows(OH, GOOD, b"o10,c1,2024-02-02 09:00:00,5.00,placed\n"),
        1,
        q((3, "order_id", "duplicate key in file")),
    ),
    Case(
        "duplicate_event_across_days",
        EVENTS,
        rows(EH, b"e1,c1,send,2024-02-02\n", b"e2,c1,open,2024-02-02\n"),
        1,
        q((2, "event_id", "duplicate key across files")),
        before=(("email_events/date=2024-02-01/email_events.csv", rows(EH, b"e1,c1,send,2024-02-01\n")),),
    ),
    Case("order_restated_across_days", ORDERS, rows(OH, b"o1,c1,2024-02-01 10:00:00,10.00,delivered\n"), 1),
    Case(
        "negative_amount",
        ORDERS,
        rows(OH, GOOD, b"o11,c1,2024-02-02,-5.00,placed\n"),
        1,
        q((3, "amount", "negative value")),
    ),
    Case(
        "absurd_amount",
        ORDERS,
        rows(OH, GOOD, b"o11,c1,2024-02-02,125000000.00,placed\n"),
        1,
        q((3, "amount", "out of range")),
    ),
    Case("zero_quantity", LINES, rows(LH, b"l1,o1,p1,0,2.50\n"), 0, q((2, "quantity", "out of range"))),
    Case(
        "future_date",
        ORDERS,
        rows(OH, GOOD, b"o11,c1,2099-02-02,5,placed\n"),
        1,
        q((3, "ordered_at", "future date")),
    ),
    Case(
        "pre_epoch_date",
        ORDERS,
        rows(OH, GOOD, b"o11,c1,1969-12-31,5,placed\n"),
        1,
        q((3, "ordered_at", "out of range")),
    ),
    Case(
        "future_birthday",
        CUSTOMERS,
        rows(CH, b"c4,d@example.com,,2090-01-01,true,2024-02-02\n"),
        0,
        q((2, "birthday", "future date")),
    ),
    Case(
        "orphan_customer",
        ORDERS,
        rows(OH, GOOD, b"o11,c999,2024-02-02,5,placed\n"),
        1,
        q((3, "customer_id", "orphan customer_id")),
    ),
    Case(
        "unknown_status",
        ORDERS,
        rows(OH, GOOD, b"o11,c1,2024-02-02,5,lost\n"),
        1,
        q((3, "status", "unknown value")),
    ),
    Case(
        "unknown_event_type",
        EVENTS,
        rows(EH, b"e1,c1,send,2024-02-02\n", b"e2,c1,Opened,2024-02-02\n"),
        1,
        q((3, "event_type", "unknown value")),
    ),
    Case(
        "nps_11",
        NPS,
        rows(NH, b"n1,c1,2024-02-02,10\n", b"n2,c1,2024-02-02,11\n"),
        1,
        q((3, "score", "out of range")),
    ),
    Case("nps_negative", NPS, rows(NH, b"n1,c1,2024-02-02,-1\n"), 0, q((2, "score", "out of range"))),
    Case("empty_file", ORDERS, b"", rejected=f"{ORDERS}: empty file (no header)"),
    Case("header_only", ORDERS, OH, 0),
    Case(
        "extra_column",
        ORDERS,
        b"order_id,customer_id,ordered_at,amount,status,gift_wrap\no11,c1,2024-02-02,5,placed,yes\n",
        1,
        extra=("gift_wrap",),
    ),
    Case(
        "missing_required_column",
        ORDERS,
        b"order_id,customer_id,ordered_at\no11,c1,2024-02-02\n",
        rejected=f"{ORDERS}: missing required column 'amount'",
    ),
    Case(
        "renamed_required_column",
        ORDERS,
        b"order_id,customer_id,ordered_at,total,status\no11,c1,2024-02-02,5,placed\n",
        rejected=f"{ORDERS}: missing required column 'amount'",
    ),
    Case(
        "renamed_optional_column",
        ORDERS,
        b"order_id,customer_id,ordered_at,amount,order_status\no11,c1,2024-02-02,5,placed\n",
        1,
        extra=("order_status",),
    ),
    Case(
        "key_uniqueness_collapse",
        ORDERS,
        rows(OH, *[b"o11,c1,2024-02-02,5,placed\n"] * 4),
        rejected=f"{ORDERS}: key uniqueness collapsed"
        " (3 of 4 rows have a duplicate key in file in 'order_id')",
    ),
    Case(
        "type_schema_change",
        ORDERS,
        rows(OH, *[b"o1%d,c1,2024-02-02,five,placed\n" % i for i in range(4)]),
        rejected=f"{ORDERS}: schema change (4 of 4 rows have a wrong type in 'amount')",
    ),
    Case("huge_text_field", CUSTOMERS, rows(CH, b"c4,d@example.com," + BIG + b",,true,2024-02-02\n"), 1),
    Case(
        "emails_with_spaces_and_uppercase",
        CUSTOMERS,
        rows(CH, b'c4,"  D.Smith@Example.COM ",,,true,2024-02-02\n'),
        1,
    ),
    Case("unparseable_phone", CUSTOMERS, rows(CH, b"c4,d@example.com,call me maybe,,true,2024-02-02\n"), 1),
    Case(
        "timezone_less_and_mixed_offsets",
        ORDERS,
        rows(
            OH,
            b"o11,c1,2024-02-02 10:00:00,5,placed\n",
            b"o12,c1,2024-02-02T10:00:00+02:00,5,placed\n",
            b"o13,c1,2024-02-02T10:00:00Z,5,placed\n",
        ),
        3,
    ),
    Case(
        "unreadable_parquet",
        "orders/date=2024-02-02/orders.parquet",
        b"PAR1 not really parquet",
        rejected="orders/date=2024-02-02/orders.parquet: unreadable file",
    ),
]
