from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipelines.export.config import ConfigError, load_config
from pipelines.export.paths import confined
from pipelines.settings import REPO_ROOT

SHIPPED = REPO_ROOT / "config" / "destinations.yml"
SEGMENTS_DIR = REPO_ROOT / "dbt_project" / "models" / "segments"


def test_shipped_config_exposures_and_models_name_the_same_segments() -> None:
    config = load_config(SHIPPED)
    models = {p.stem.removeprefix("segment_") for p in SEGMENTS_DIR.glob("segment_*.sql")}
    assert (
        set(config.segment_names()) | {s.name for d in config.destinations.values() for s in d.segments}
        == models
    ), "every segment model is exported somewhere, and only those"
    exposures = yaml.safe_load((SEGMENTS_DIR / "_segments__models.yml").read_text())["exposures"]
    by_tool = {e["name"]: sorted(r.removeprefix("ref('segment_").removesuffix("')") for r in e["depends_on"])
               for e in exposures}  # fmt: skip
    assert by_tool == {name: sorted(s.name for s in d.segments) for name, d in config.destinations.items()}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "d.yml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a typo in a type, on line 4
            "destinations:\n  crm:\n    segments: [champions]\n    type: generic_cvs\n",
            r"d.yml:4: destinations.crm.type: Input should be",
        ),
        (  # a name that would leave the export folder, on line 3
            "destinations:\n  crm:\n    segments: [champions, ../../etc]\n    type: generic_csv\n",
            r"d.yml:3: destinations.crm.segments.1.name: String should match pattern",
        ),
        (  # raw identifiers asked of an ad platform
            "destinations:\n  g:\n    type: google_ads\n    segments: [a]\n    fields: {email: email}\n",
            r"d.yml:3: destinations.g: Value error, ad platform files have fixed, hashed columns",
        ),
        (
            "destinations:\n  w: {type: webhook, segments: [a], url: ftp://x}\n",
            r"d.yml:2: destinations.w: Value error, a webhook needs an https `url`",
        ),
        ("destinations:\n  crm: {type: parquet, segments: [a], colour: red}\n", r"d.yml:2: .*colour: Extra"),
        ("destinations: [\n", r"not valid YAML"),
    ],
)
def test_errors_name_the_line(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected):
        load_config(write(tmp_path, text))


def test_paths_stay_under_the_export_root(tmp_path: Path) -> None:
    assert (
        confined(tmp_path, "2024-03-01", "crm", "champions.csv")
        == tmp_path.resolve() / "2024-03-01/crm/champions.csv"
    )
    for bad in ("..", "../x", "a/b", "/etc", ".hidden", "x..y", ""):
        with pytest.raises(ValueError, match="unsafe"):
            confined(tmp_path, "2024-03-01", bad)
