"""The YAML text of an imported instrument, laid out like the hand-written files: block style,
Persian as written (not escaped), lists indented under their key, keys in the exemplars' order."""
from __future__ import annotations

import yaml


class _IndentedDumper(yaml.SafeDumper):
    """Indents list entries under their key (``items:\\n  - code: ...``), as the exemplars do."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, value: str):
    """Text of several lines as a ``|`` block, as a person would write it."""
    style = "|" if "\n" in value.strip("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_IndentedDumper.add_representer(str, _text)


def dump_yaml(doc: dict, comment: str | None = None) -> str:
    """``doc`` as YAML text; ``comment`` becomes a first line starting with ``#``."""
    text = yaml.dump(doc, Dumper=_IndentedDumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=100)
    return f"# {comment}\n{text}" if comment else text
