"""Fixtures for the PDF tests: the tools that read a PDF back (see pdf_reading.py)."""
from __future__ import annotations

import re
import shutil

import pytest

from pdf_reading import PdfTools


@pytest.fixture(scope="session")
def pdf_tool_paths():
    tools = ("pdftotext", "pdftoppm", "pdfinfo", "zbarimg")
    missing = [tool for tool in tools if not shutil.which(tool)]
    if missing:
        pytest.fail(f"{', '.join(missing)} not found: install poppler-utils and zbar-tools "
                    f"(`make system-packages` does)")


@pytest.fixture
def pdf_tools(tmp_path, request, pdf_tool_paths) -> PdfTools:
    return PdfTools(tmp_path, re.sub(r"\W+", "-", request.node.name).strip("-"))

