"""safedesk: a desktop library of children's safeguarding practice."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Library", "__version__"]

if TYPE_CHECKING:
    from safedesk.library import Library


def __getattr__(name: str) -> Any:
    # Imported lazily so `import safedesk` stays cheap for the CLI.
    if name == "Library":
        from safedesk.library import Library

        return Library
    raise AttributeError(name)
