"""`rapport landing check`: per file what the loader would do, and a config that makes it load."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pipelines.load.check import check_landing
from pipelines.load.config import LandingConfig, load_landing_config
from tests.load.test_landing_formats import POS, WOOCOMMERCE


def test_check_proposes_a_config_that_loads_and_touches_no_warehouse(tmp_path: Path) -> None:
    landing = tmp_path / "shop"
    (landing / "orders").mkdir(parents=True)
    (landing / "orders" / "pos.csv").write_bytes(POS.encode())
    (landing / "orders" / "woo.csv").write_text(WOOCOMMERCE.replace("$12,345.99", "oops"))
    proposal = tmp_path / "proposed.yml"
    lines = check_landing(landing, LandingConfig(), date(2026, 7, 1), proposal)
    text = "\n".join(lines)
    assert "header found: Bill No, Customer Code, Bill Date, Net Amount" in text
    assert "rows: 4 in, 4 would load, 0 would be quarantined" in text  # pos.csv, with the proposal
    config = load_landing_config(proposal)
    assert config.of("orders") is not None
    assert config.of("orders").columns["Bill No"] == "order_id"
    assert config.of("orders").columns["Order Total Amount"] == "amount"
    # run again with the proposal: the dialect and the mapping are shown, the bad row with its value
    text = "\n".join(check_landing(landing, config, date(2026, 7, 1), tmp_path / "again.yml"))
    assert "dialect: delimiter ';'" in text
    assert "quarantined: 1 x 'wrong type' in 'amount', e.g. 'oops'" in text
    assert not list(tmp_path.rglob("*.duckdb")), "a check never writes a warehouse"
