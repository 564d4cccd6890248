"""File sizes in messages about caps: always precise enough that the size reads as over the cap.

"20.0 MiB; limited to 20 MiB" for a file one byte over says nothing; `over_cap` gives
"20,971,521 bytes; limited to 20 MiB (20,971,520 bytes)" there, and "5.3 MiB; limited to 5 MiB"
where one decimal is enough.
"""

from __future__ import annotations

_UNITS = (("MiB", 1 << 20), ("KiB", 1 << 10))


def size_text(size: int) -> str:
    """`size` bytes in the largest unit that divides it, else in bytes ("20 MiB", "1,500 bytes")."""
    for unit, scale in _UNITS:
        if size >= scale and size % scale == 0:
            return f"{size // scale} {unit}"
    return f"{size:,} bytes"


def over_cap(size: int, cap: int) -> str:
    """ "SIZE; limited to CAP", with SIZE in CAP's unit, written so that it visibly exceeds CAP
    (with up to three decimals, else to the byte)."""
    limit = size_text(cap)
    for unit, scale in _UNITS:
        if not limit.endswith(unit):
            continue
        for decimals in (1, 2, 3):
            shown = f"{size / scale:.{decimals}f}"
            if float(shown) > cap / scale:
                return f"{shown} {unit}; limited to {limit}"
        return f"{size:,} bytes; limited to {limit} ({cap:,} bytes)"
    return f"{size:,} bytes; limited to {limit}"
