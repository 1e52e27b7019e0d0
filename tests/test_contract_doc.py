"""The README's landing contract is the contract: regenerate it, never hand-edit it."""

from __future__ import annotations

from pathlib import Path

from pipelines.contract import ENTITIES
from pipelines.contract_doc import contract_markdown

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_holds_the_generated_contract() -> None:
    text = README.read_text(encoding="utf-8")
    begin, end = "<!-- contract:begin -->\n", "<!-- contract:end -->"
    assert text[text.index(begin) + len(begin) : text.index(end)].strip() == contract_markdown().strip(), (
        "README contract is stale: run `uv run python -m pipelines.contract_doc`"
    )


def test_only_orders_is_required_and_its_four_columns() -> None:
    required = [e.name for e in ENTITIES.values() if e.required]
    assert required == ["orders"]
    assert ENTITIES["orders"].required_columns == ("order_id", "customer_id", "ordered_at", "amount")
