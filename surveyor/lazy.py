"""A package's names imported from their modules on first use (PEP 562).

``surveyor.stats`` and ``surveyor.responses`` are imported all over the app and the command line,
and their modules load SciPy, statsmodels, pandas and the database models: seconds that
``surveyor --help`` and the pages that draw no figure should not wait for.
"""
from __future__ import annotations

import importlib


def lazy_names(package: str, modules: dict[str, str], namespace: dict):
    """``(__getattr__, __dir__)`` for ``package``, whose names (``modules``: name -> relative
    module) are imported on first use into ``namespace`` (the package's ``globals()``).

    Every name of a module is bound when the module loads: importing ``.importance_performance``
    binds that module to the package's ``importance_performance``, which would otherwise hide the
    function of that name."""

    def __getattr__(name: str):
        module = modules.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        loaded = importlib.import_module(module, package)
        namespace.update({other: getattr(loaded, other) for other, where in modules.items() if where == module})
        return namespace[name]  # the next use is a plain attribute

    def __dir__() -> list[str]:
        return sorted([*namespace, *modules])

    return __getattr__, __dir__
