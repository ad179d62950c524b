"""Human-readable places inside an instrument file, e.g. ``items[3] (headway).labels.ar``."""
from __future__ import annotations

from collections.abc import Iterable


def describe_path(doc, parts: Iterable) -> str:
    """Join a JSON path, naming list entries by their ``code`` where they have one."""
    text, node = "", doc
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("code"), str):
                text += f" ({node['code']})"
        else:
            text += f".{part}" if text else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return text
