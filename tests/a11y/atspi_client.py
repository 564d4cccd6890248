#!/usr/bin/python3
"""An AT-SPI client: reads an application's accessibility tree the way a screen reader (Orca)
does, over the accessibility bus.

It runs under the system Python (Debian: python3-gi, gir1.2-atspi-2.0), not the project's venv,
which cannot import `gi`; DISPLAY and DBUS_SESSION_BUS_ADDRESS must be the app's session.

    atspi_client.py serve             one JSON request per stdin line, one JSON answer per line;
                                      events are recorded between requests (listen / events)
    atspi_client.py lines [PID]       the tree as indented lines: role 'name' [states] {extra}

Requests: {"cmd": CMD, "args": {...}}; answers: {"ok": true, "result": ...} or {"ok": false,
"error": "..."}. Commands (`pid` limits the search to that process and its children):
  enable                       switch accessibility on, as a screen reader does (org.a11y.Status)
  wait {timeout}               until the app shows a window
  find {selector}              every match, described
  get {selector}               the first match, described with its whole text
  children {selector}          its children, described
  text_at {selector, offset, granularity}   line/word/char at an offset (Text interface)
  attributes_at {selector, offset}          the text attribute run at an offset
  caret {selector}             the caret offset
  do {selector, action}        perform an action (by name)
  select {selector, child}     Selection.select_child
  focus {selector}             Component.grab_focus
  focused {}                   the focused object (and an item view's focused item)
  listen {events}              start recording these event types
  events {}                    the events recorded since the last call
Selectors: role (AT-SPI role name), name (exact), name_re, showing (bool), nth, within (path);
or path ("0/2/1": child indices from the application).
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
import warnings
from typing import Any

import gi

warnings.filterwarnings("ignore", category=DeprecationWarning)
gi.require_version("Atspi", "2.0")
from gi.repository import Atspi, Gio, GLib  # noqa: E402

Atspi.set_timeout(3000, 15000)  # a hung app fails a call after 3 s instead of blocking
GRANULARITY = {
    "char": Atspi.TextGranularity.CHAR,
    "word": Atspi.TextGranularity.WORD,
    "line": Atspi.TextGranularity.LINE,
    "paragraph": Atspi.TextGranularity.PARAGRAPH,
}


class ClientError(Exception):
    pass


def safe(call: Any, default: Any = None) -> Any:
    try:
        return call()
    except (GLib.Error, NotImplementedError, TypeError, AttributeError):
        return default


# -- finding the app and its objects ---------------------------------------------------------------


def enable() -> dict[str, bool]:
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    for prop in ("IsEnabled", "ScreenReaderEnabled"):
        bus.call_sync(
            "org.a11y.Bus", "/org/a11y/bus", "org.freedesktop.DBus.Properties", "Set",
            GLib.Variant("(ssv)", ("org.a11y.Status", prop, GLib.Variant("b", True))),
            None, Gio.DBusCallFlags.NONE, 5000, None,
        )  # fmt: skip
    return {"enabled": True}


def process_tree(root: int) -> set[int]:
    """`root` and its descendants (the app may run in a child of the process started)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    parent = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, todo = {root}, [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def find_app(pid: int | None) -> Any:
    desktop = Atspi.get_desktop(0)
    pids = process_tree(pid) if pid else None
    for i in range(safe(desktop.get_child_count, 0) or 0):
        app = safe(lambda i=i: desktop.get_child_at_index(i))
        if app is not None and (pids is None or safe(app.get_process_id) in pids):
            return app
    return None


def states(acc: Any) -> list[str]:
    return safe(lambda: [s.value_nick for s in acc.get_state_set().get_states()], []) or []


def children_of(acc: Any) -> list[Any]:
    kids = []
    for i in range(safe(acc.get_child_count, 0) or 0):
        kid = safe(lambda i=i: acc.get_child_at_index(i))
        if kid is not None:
            kids.append(kid)
    return kids


def walk(acc: Any, depth: int = 0, showing_only: bool = False) -> Any:
    """`acc` and its descendants; with `showing_only`, hidden subtrees are left out."""
    if showing_only and depth and "showing" not in states(acc):
        return
    yield acc
    if depth < 60:
        for kid in children_of(acc):
            yield from walk(kid, depth + 1, showing_only)


def path_of(acc: Any, app: Any) -> str:
    parts: list[str] = []
    current = acc
    while current is not None and len(parts) < 200:
        if getattr(current, "path", None) == getattr(app, "path", None):
            break
        parts.append(str(safe(current.get_index_in_parent, -1)))
        current = safe(current.get_parent)
    return "/".join(reversed(parts))


def at_path(app: Any, path: str) -> Any:
    acc = app
    for part in [p for p in path.split("/") if p]:
        acc = safe(lambda acc=acc, part=part: acc.get_child_at_index(int(part)))
        if acc is None:
            raise ClientError(f"no object at path {path!r}")
    return acc


def select(app: Any, args: dict[str, Any]) -> list[Any]:
    if args.get("path") is not None:
        return [at_path(app, args["path"])]
    root = at_path(app, args["within"]) if args.get("within") else app
    pattern = re.compile(args["name_re"]) if args.get("name_re") else None
    found = []
    for acc in walk(root, showing_only=bool(args.get("showing"))):
        if args.get("role") and safe(acc.get_role_name) != args["role"]:
            continue
        name = safe(acc.get_name, "") or ""
        if "name" in args and name != args["name"]:
            continue
        if pattern is not None and not pattern.search(name):
            continue
        if args.get("showing") and "showing" not in states(acc):
            continue
        found.append(acc)
    nth = args.get("nth")
    return found[nth : nth + 1] if nth is not None else found


def first(app: Any, args: dict[str, Any]) -> Any:
    found = select(app, args)
    if not found:
        wanted = {k: v for k, v in args.items() if k in ("path", "role", "name", "name_re", "nth")}
        raise ClientError(f"no object matches {wanted}")
    return found[0]


# -- describing objects ----------------------------------------------------------------------------


def describe(acc: Any, app: Any, text_limit: int = 300) -> dict[str, Any]:
    interfaces = sorted(safe(acc.get_interfaces, []) or [])
    out: dict[str, Any] = {
        "path": path_of(acc, app),
        "role": safe(acc.get_role_name, "?"),
        "name": safe(acc.get_name, "") or "",
        "description": safe(acc.get_description, "") or "",
        "states": states(acc),
        "interfaces": interfaces,
        "child_count": safe(acc.get_child_count, 0) or 0,
    }
    attributes = safe(acc.get_attributes, {}) or {}
    if attributes:
        out["attributes"] = dict(attributes)
    if "Component" in interfaces:
        box = safe(lambda: acc.get_component_iface().get_extents(Atspi.CoordType.SCREEN))
        if box is not None:
            out["extents"] = [box.x, box.y, box.width, box.height]
    action = safe(acc.get_action_iface) if "Action" in interfaces else None
    if action is not None:
        count = safe(action.get_n_actions, 0) or 0
        out["actions"] = [safe(lambda i=i: action.get_action_name(i), "") for i in range(count)]
    text = safe(acc.get_text_iface) if "Text" in interfaces else None
    if text is not None:
        length = safe(text.get_character_count, 0) or 0
        limit = length if text_limit < 0 else min(length, text_limit)
        out["text_length"] = length
        out["text"] = safe(lambda: text.get_text(0, limit), "") or ""
    if "TableCell" in interfaces:
        position = safe(lambda: Atspi.TableCell.get_position(acc))
        if position:
            out["cell"] = [position[1], position[2]]
    relations: dict[str, list[str]] = {}
    for relation in safe(acc.get_relation_set, []) or []:
        kind = relation.get_relation_type().value_nick
        for i in range(relation.get_n_targets()):
            target = relation.get_target(i)
            relations.setdefault(kind, []).append(
                f"{safe(target.get_role_name, '?')}:{safe(target.get_name, '')}"
            )
    if relations:
        out["relations"] = relations
    return out


def lines(acc: Any, depth: int = 0, out: list[str] | None = None) -> list[str]:
    """The tree as a screen reader's user would list it: one object a line."""
    out = [] if out is None else out
    shown = [s for s in states(acc) if s in ("focused", "selected", "expanded", "expandable",
                                             "checked", "read-only", "showing")]  # fmt: skip
    extra = []
    attributes = safe(acc.get_attributes, {}) or {}
    if "level" in attributes:
        extra.append(f"level {attributes['level']}")
    for relation in safe(acc.get_relation_set, []) or []:
        if relation.get_relation_type().value_nick == "labelled-by":
            extra.append(f"labelled-by {safe(relation.get_target(0).get_name, '')!r}")
    text = ""
    if "Text" in (safe(acc.get_interfaces, []) or []):
        t = acc.get_text_iface()
        n = safe(t.get_character_count, 0) or 0
        if n:
            text = " text " + json.dumps(safe(lambda: t.get_text(0, min(n, 60)), ""))[:70]
    name = safe(acc.get_name, "") or ""
    out.append(f"{'  ' * depth}{safe(acc.get_role_name, '?')} {name!r} {shown}"
               + (f" {{{', '.join(extra)}}}" if extra else "") + text)  # fmt: skip
    if depth < 40:
        for kid in children_of(acc):
            if "showing" in states(kid) or safe(kid.get_role_name) in ("link", "heading"):
                lines(kid, depth + 1, out)
    return out


def focused(app: Any) -> list[dict[str, Any]]:
    """The focused widget and, for an item view, its focused item."""

    def search(acc: Any, depth: int = 0) -> Any:
        st = states(acc)
        if depth and "showing" not in st:
            return None
        if "focused" in st and "transient" not in st:
            return acc
        for kid in children_of(acc):
            hit = search(kid, depth + 1)
            if hit is not None:
                return hit
        return None

    widget = search(app)
    if widget is None:
        return []
    out = [describe(widget, app)]
    if "manages-descendants" in states(widget):
        for kid in children_of(widget):
            if "focused" in states(kid):
                out.append(describe(kid, app))
                break
    return out


# -- events -------------------------------------------------------------------------------------


class Recorder:
    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.listener: Any = None

    def listen(self, kinds: list[str]) -> dict[str, Any]:
        if self.listener is None:
            self.listener = Atspi.EventListener.new(self._record)
        for kind in kinds:
            self.listener.register(kind)
        return {"listening": kinds}

    def _record(self, event: Any) -> None:
        try:
            source = event.source
            item: dict[str, Any] = {
                "type": event.type, "detail1": event.detail1, "detail2": event.detail2,
                "role": safe(source.get_role_name, "?"), "name": safe(source.get_name, "") or "",
            }  # fmt: skip
            data = event.any_data
            if isinstance(data, Atspi.Accessible):
                item["data"] = {"role": safe(data.get_role_name, "?"), "name": safe(data.get_name)}
            elif isinstance(data, str | int | float | bool):
                item["data"] = data
            self.events.append(item)
        except Exception as exc:  # a dying object must not stop the recording
            self.events.append({"type": event.type, "error": type(exc).__name__})

    def drain(self) -> list[dict[str, Any]]:
        out, self.events = self.events, []
        return out


# -- commands -----------------------------------------------------------------------------------


def run(cmd: str, args: dict[str, Any], recorder: Recorder) -> Any:
    if cmd == "enable":
        return enable()
    if cmd == "listen":
        return recorder.listen(list(args["events"]))
    if cmd == "events":
        pump(0.05)
        return recorder.drain()
    pid = args.get("pid")
    if cmd == "wait":
        deadline = time.monotonic() + float(args.get("timeout", 30))
        while time.monotonic() < deadline:
            app = find_app(pid)
            windows = [w for w in children_of(app) if "showing" in states(w)] if app else []
            if windows:
                return {"app": safe(app.get_name, ""), "window": safe(windows[0].get_name, "")}
            pump(0.25)
        raise ClientError("no window of the app on the accessibility bus")
    app = find_app(pid)
    if app is None:
        raise ClientError("the app is not on the accessibility bus")
    if cmd == "lines":
        return lines(app)
    if cmd == "focused":
        return focused(app)
    if cmd == "find":
        return [describe(acc, app) for acc in select(app, args)]
    acc = first(app, args)
    if cmd == "get":
        return describe(acc, app, text_limit=-1)
    if cmd == "children":
        return [describe(kid, app) for kid in children_of(acc)]
    if cmd in ("text_at", "attributes_at", "caret"):
        text = acc.get_text_iface()
        if text is None:
            raise ClientError("no Text interface")
        if cmd == "caret":
            return text.get_caret_offset()
        if cmd == "attributes_at":
            run_ = text.get_attribute_run(int(args["offset"]), False)
            return {"attributes": dict(run_[0] or {}), "start": run_[1], "end": run_[2]}
        granularity = GRANULARITY[args.get("granularity", "line")]
        found = text.get_string_at_offset(int(args["offset"]), granularity)
        return {"start": found.start_offset, "end": found.end_offset, "text": found.content}
    if cmd == "do":
        action = acc.get_action_iface()
        if action is None:
            raise ClientError("no Action interface")
        names = [action.get_action_name(i) for i in range(action.get_n_actions())]
        if args["action"] not in names:
            raise ClientError(f"no action {args['action']!r}; it has {names}")
        return action.do_action(names.index(args["action"]))
    if cmd == "select":
        selection = acc.get_selection_iface()
        if selection is None:
            raise ClientError("no Selection interface")
        return selection.select_child(int(args["child"]))
    if cmd == "focus":
        return acc.get_component_iface().grab_focus()
    raise ClientError(f"unknown command {cmd!r}")


def pump(seconds: float) -> None:
    """Let events that are due arrive."""
    context = GLib.MainContext.default()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        while context.pending():
            context.iteration(False)
        time.sleep(0.01)


def serve() -> int:
    recorder = Recorder()
    loop = GLib.MainLoop()

    def on_line(_channel: Any, _condition: Any) -> bool:
        line = sys.stdin.readline()
        if not line:
            loop.quit()
            return False
        try:
            request = json.loads(line)
            reply = {"ok": True, "result": run(request["cmd"], request.get("args") or {}, recorder)}
        except Exception as exc:  # an object gone mid-query: say so, keep serving
            reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(reply, ensure_ascii=False) + "\n")
        sys.stdout.flush()
        return True

    GLib.io_add_watch(GLib.IOChannel.unix_new(sys.stdin.fileno()), GLib.PRIORITY_DEFAULT,
                      GLib.IOCondition.IN | GLib.IOCondition.HUP, on_line)  # fmt: skip
    print(json.dumps({"ok": True, "result": "ready"}), flush=True)
    loop.run()
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["serve"]:
        return serve()
    if argv[:1] == ["lines"]:
        pid = int(argv[1]) if len(argv) > 1 else None
        print("\n".join(run("lines", {"pid": pid}, Recorder())))
        return 0
    print(__doc__)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
