"""Where the address in survey links, QR codes and posters comes from.

``SURVEYOR_PUBLIC_URL`` decides when it is set. Otherwise, outside production, the address the
demo was last served on: ``make run PORT=5742`` records ``http://127.0.0.1:5742`` in
``instance/public_url`` (through ``surveyor demo --city``), so ``surveyor points links`` and
``surveyor points posters`` typed in another terminal carry the port the app really answers on.
Production never reads that file: there the address must be set.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

DEFAULT = "http://127.0.0.1:5000"
RECORD = "public_url"
FROM_SETTING, FROM_RECORD, FROM_DEFAULT = "setting", "record", "default"


def valid(url: str) -> bool:
    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def recorded(instance_path: Path) -> str | None:
    """The address ``make run`` last recorded in the instance folder, if any (and readable)."""
    try:
        text = (Path(instance_path) / RECORD).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text if valid(text) else None


def record(instance_path: Path, url: str) -> Path:
    """Remember ``url`` as the address the demo is served on."""
    path = Path(instance_path) / RECORD
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(url.strip().rstrip("/") + "\n", encoding="utf-8")
    return path


def resolve(config: dict, instance_path: Path) -> None:
    """Fill ``PUBLIC_URL`` (when the setting is empty) and ``PUBLIC_URL_SOURCE``."""
    if config.get("PUBLIC_URL"):
        config["PUBLIC_URL_SOURCE"] = FROM_SETTING
        return
    saved = recorded(instance_path) if config["SURVEYOR_ENV"] != "production" else None
    config["PUBLIC_URL"] = saved or DEFAULT
    config["PUBLIC_URL_SOURCE"] = FROM_RECORD if saved else FROM_DEFAULT


def explain(config: dict, instance_path: Path) -> str | None:
    """One line for the command line on where the links' address came from (None: from the setting)."""
    url, source = config["PUBLIC_URL"].rstrip("/"), config.get("PUBLIC_URL_SOURCE", FROM_SETTING)
    if source == FROM_RECORD:
        return (f"Links use {url}, where `make run` last served the demo ({Path(instance_path) / RECORD}); "
                "set SURVEYOR_PUBLIC_URL to use another address.")
    if source == FROM_DEFAULT:
        return (f"Links use the default address {url}: SURVEYOR_PUBLIC_URL is not set. Set it to the address "
                "citizens reach the app at (for example https://nazar.example.ir).")
    return None
