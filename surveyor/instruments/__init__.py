"""Instrument files: read -> validate (schema, then rules) -> normalize -> sync to the database."""
from .errors import InstrumentError, Problem
from .loader import LoadedFile, discover_files, load_all, load_file, validate_files

__all__ = ["InstrumentError", "LoadedFile", "Problem", "discover_files", "load_file", "load_all", "validate_files"]
