"""Render the landing contract as Markdown, so the README table is generated, never retyped."""

from __future__ import annotations

from pipelines.contract import ENTITIES


def _cell(text: str) -> str:
    return text.replace("|", "\\|")  # a bare pipe would split the table cell


def contract_markdown() -> str:
    lines = []
    for entity in ENTITIES.values():
        need = "required" if entity.required else "optional"
        lines += [
            f"**{entity.name}** ({need}; key: {', '.join(entity.key)})"
            + (f" — {entity.doc}" if entity.doc else "")
            + (
                f" Every file and row needs at least one of {', '.join(entity.identifiers)}; an"
                " unreadable file or row blocks the export (not the load) until it is replaced."
                if entity.identifiers
                else ""
            ),
            "",
            "| column | type | required | meaning |",
            "|---|---|---|---|",
            *(
                f"| {c.name} | {c.type} | {'yes' if c.required else ''} | {_cell(c.doc)} |"
                for c in entity.columns
            ),
            "",
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    # rewrite the generated block of README.md in place
    from pathlib import Path

    readme = Path(__file__).resolve().parent.parent / "README.md"
    text = readme.read_text(encoding="utf-8")
    begin, end = "<!-- contract:begin -->\n", "<!-- contract:end -->"
    head, rest = text.split(begin, 1)
    tail = rest.split(end, 1)[1]
    readme.write_text(head + begin + contract_markdown() + "\n" + end + tail, encoding="utf-8")
