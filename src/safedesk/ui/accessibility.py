"""safedesk's own accessible interfaces, for widgets whose stock Qt interface tells a screen reader
too little (the reading pane is a "label" with no links; a message line is silent).

One accessible factory serves them all: a widget class registers the function that makes its
interface (`register(ReadingPane, make)`); `install()` (idempotent) puts the factory in place. The
interfaces made are kept referenced here for the widget's lifetime: Qt's registry holds C++
pointers only, and a Python interface must outlive every use Qt makes of it.

PySide6 notes (Qt 6.11) that everything built on this must follow:
- `interface_cast` must return a `shiboken6.VoidPtr`, never a plain int (`pointer_to`).
- An interface whose C++ part Python cannot write (the Text interface: `textAtOffset` and
  `attributes` take out-parameters) is borrowed from Qt's own interface for the same widget:
  `stock_interface(widget)` asks Qt for it while this factory steps aside.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAccessible, QAccessibleInterface

Maker = Callable[[Any], QAccessibleInterface]

_makers: list[tuple[type[QObject], Maker]] = []
_alive: dict[int, QAccessibleInterface] = {}  # id(widget) -> its interface (Python must hold it)
_declining: set[int] = set()  # widgets whose stock interface is being asked for
_installed = False


def register(widget_class: type[QObject], make: Maker) -> None:
    """Widgets of `widget_class` (and its subclasses) get the interface `make(widget)` returns."""
    if all(cls is not widget_class for cls, _ in _makers):
        _makers.append((widget_class, make))
    install()


def install() -> None:
    """Install the factory (once per process; safe to call again)."""
    global _installed
    if not _installed:
        QAccessible.installFactory(_factory)
        _installed = True


def _factory(_class_name: str, obj: QObject) -> QAccessibleInterface | None:
    if id(obj) in _declining:
        return None
    for cls, make in _makers:
        if isinstance(obj, cls):
            iface = make(obj)
            key = id(obj)
            _alive[key] = iface
            obj.destroyed.connect(lambda *_args, key=key: _alive.pop(key, None))
            return iface
    return None


def stock_interface(obj: QObject) -> QAccessibleInterface | None:
    """Qt's own interface for `obj` (made by Qt's factory for its nearest Qt class), while this
    factory declines. Call it only while making `obj`'s interface: Qt registers the stock one
    first, then ours over it (the registry keeps the last), and the stock one lends its C++ parts.
    It is deleted when `obj` is gone."""
    _declining.add(id(obj))
    try:
        stock = QAccessible.queryAccessibleInterface(obj)
    finally:
        _declining.discard(id(obj))
    if stock is None:
        return None
    stock_id = QAccessible.uniqueId(stock)

    # after obj's own destruction (so that its registry entry, which is ours, goes first)
    def delete_stock() -> None:
        QAccessible.deleteAccessibleInterface(stock_id)
        # drop the Python wrapper too: left in shiboken's map, a widget made later at the same
        # address would be handed this stale wrapper (an AttributeError far from here)
        shiboken6.invalidate(stock)

    obj.destroyed.connect(lambda *_args: QTimer.singleShot(0, delete_stock))
    return stock


def pointer_to(obj: shiboken6.Object, base: int = 0) -> shiboken6.VoidPtr:
    """The C++ address of the `base`-th wrapped Qt base of a Python object, as `interface_cast`
    must return it."""
    return shiboken6.VoidPtr(shiboken6.getCppPointer(obj)[base])


NULL = shiboken6.VoidPtr(0)
