"""A private desktop for accessibility tests: the app on a headless X display with its own D-Bus
session bus and accessibility bus, read through AT-SPI by `atspi_client.py` (run by the system
Python) exactly as a screen reader reads it, and driven with real key presses (xdotool).

    with Desktop([sys.executable, "-m", "safedesk", "--data-dir", folder]) as desktop:
        desktop.wait_window()
        desktop.ask("find", role="combo box")
        desktop.key("Tab")

Every process it starts runs in its own process group and is stopped on close (TERM, then KILL);
they also get SIGTERM if the test process dies, so nothing outlives a killed pytest.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import json
import os
import select
import selectors
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import IO, Any

CLIENT = Path(__file__).with_name("atspi_client.py")
SYSTEM_PYTHON = "/usr/bin/python3"
BUS_LAUNCHERS = ("/usr/libexec/at-spi-bus-launcher", "/usr/lib/at-spi2-core/at-spi-bus-launcher")
TOOLS = {"Xvfb": "xvfb", "dbus-daemon": "dbus-daemon", "xdotool": "xdotool", "openbox": "openbox"}
# the libraries Qt's xcb platform plugin loads, and their Debian packages
XCB_LIBRARIES = {
    "xcb-cursor": "libxcb-cursor0", "xcb-icccm": "libxcb-icccm4", "xcb-image": "libxcb-image0",
    "xcb-keysyms": "libxcb-keysyms1", "xcb-randr": "libxcb-randr0",
    "xcb-render-util": "libxcb-render-util0", "xcb-shape": "libxcb-shape0",
    "xcb-shm": "libxcb-shm0", "xcb-sync": "libxcb-sync1", "xcb-xfixes": "libxcb-xfixes0",
    "xcb-xkb": "libxcb-xkb1", "xkbcommon-x11": "libxkbcommon-x11-0", "X11-xcb": "libx11-xcb1",
}  # fmt: skip
# what `.ci/run` installs for these tests (Debian 12)
DEBIAN_PACKAGES = " ".join(
    ["xvfb", "dbus-daemon", "at-spi2-core", "python3-gi", "gir1.2-atspi-2.0", "xdotool", "openbox",
     *XCB_LIBRARIES.values()]
)  # fmt: skip


class DesktopError(RuntimeError):
    """A query failed: no such object or interface, or the app stopped answering."""


def missing() -> list[str]:
    """The Debian packages this machine lacks for a session (empty when it has them all)."""
    lacks = [package for tool, package in TOOLS.items() if shutil.which(tool) is None]
    lacks += [
        package for lib, package in XCB_LIBRARIES.items() if ctypes.util.find_library(lib) is None
    ]
    if not any(os.access(path, os.X_OK) for path in BUS_LAUNCHERS):
        lacks.append("at-spi2-core")
    probe = "import gi; gi.require_version('Atspi', '2.0'); from gi.repository import Atspi"
    if (
        not os.access(SYSTEM_PYTHON, os.X_OK)
        or subprocess.run([SYSTEM_PYTHON, "-c", probe], capture_output=True, timeout=60).returncode
    ):
        lacks.append("python3-gi gir1.2-atspi-2.0")
    return lacks


class Desktop:
    def __init__(self, app_argv: list[str], app_env: dict[str, str] | None = None) -> None:
        self.app_argv = app_argv
        self.app_env = app_env or {}
        self.processes: list[subprocess.Popen[Any]] = []
        self.app: subprocess.Popen[Any] | None = None
        self.client: subprocess.Popen[str] | None = None
        self.env: dict[str, str] = {}
        self.folder = ""
        self._log: IO[bytes] | None = None
        self._unread: list[dict[str, Any]] = []

    def __enter__(self) -> Desktop:
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- starting and stopping --------------------------------------------------------------------
    def _spawn(self, argv: list[str], **kwargs: Any) -> subprocess.Popen[Any]:
        process = subprocess.Popen(
            argv, env=self.env, start_new_session=True, preexec_fn=_die_with_parent, **kwargs
        )
        self.processes.append(process)
        return process

    def start(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="safedesk-desktop-")
        os.chmod(self.folder, 0o700)
        env = {
            k: v for k, v in os.environ.items()
            if k not in ("DBUS_SESSION_BUS_ADDRESS", "AT_SPI_BUS_ADDRESS", "DISPLAY",
                         "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
        }  # fmt: skip
        for name in ("config", "cache", "data", "state"):
            os.mkdir(f"{self.folder}/{name}")
            env[f"XDG_{name.upper()}_HOME"] = f"{self.folder}/{name}"
        env["XDG_RUNTIME_DIR"] = self.folder
        self.env = env
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}

        # an X server on a free display (it writes the display's number to the pipe)
        read, write = os.pipe()
        self._spawn(["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24",
                     "-nolisten", "tcp", "-noreset"], pass_fds=(write,), **quiet)  # fmt: skip
        os.close(write)
        env["DISPLAY"] = ":" + _read_line(read, 20, "Xvfb did not start")
        # a session bus of its own
        read, write = os.pipe()
        bus = f"--address=unix:path={self.folder}/bus"
        self._spawn(["dbus-daemon", "--session", "--nofork", f"--print-address={write}", bus],
                    pass_fds=(write,), **quiet)  # fmt: skip
        os.close(write)
        env["DBUS_SESSION_BUS_ADDRESS"] = _read_line(read, 20, "dbus-daemon did not start")
        # the accessibility bus (it starts the registry), switched on as a screen reader does
        launcher = next(path for path in BUS_LAUNCHERS if os.access(path, os.X_OK))
        self._spawn([launcher, "--launch-immediately"], **quiet)
        self.client = self._spawn(
            [SYSTEM_PYTHON, str(CLIENT), "serve"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1,
        )  # fmt: skip
        self._answer()  # "ready"
        deadline = time.monotonic() + 20
        while True:
            try:
                self.ask("enable")
                break
            except DesktopError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        # a window manager: X focus returns to the window when a dialog closes
        self._spawn(["openbox", "--sm-disable"], **quiet)
        # the app, with Qt's AT-SPI bridge on
        app_env = dict(env, QT_QPA_PLATFORM="xcb", QT_ACCESSIBILITY="1",
                       QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1", **self.app_env)  # fmt: skip
        self._log = open(f"{self.folder}/app.log", "wb")  # noqa: SIM115 (closed in close())
        self.app = subprocess.Popen(
            self.app_argv, env=app_env, start_new_session=True, preexec_fn=_die_with_parent,
            stdout=self._log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.processes.append(self.app)

    def close(self) -> None:
        """Stop every process this desktop started, the newest first."""
        if self.client is not None and self.client.stdin is not None:
            with contextlib.suppress(OSError):
                self.client.stdin.close()
        for process in reversed(self.processes):
            _stop(process)
        self.processes.clear()
        if self._log is not None:
            self._log.close()
            self._log = None
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = ""

    def app_log(self) -> str:
        try:
            return Path(f"{self.folder}/app.log").read_text(errors="replace")
        except OSError:
            return ""

    # -- asking ---------------------------------------------------------------------------------
    def _answer(self, timeout: float = 30) -> Any:
        assert self.client is not None and self.client.stdout is not None
        with selectors.DefaultSelector() as waiting:
            waiting.register(self.client.stdout, selectors.EVENT_READ)
            if not waiting.select(timeout):
                raise DesktopError(f"no answer from the AT-SPI client in {timeout:.0f} s")
        line = self.client.stdout.readline()
        if not line:
            raise DesktopError("the AT-SPI client stopped")
        reply = json.loads(line)
        if not reply["ok"]:
            raise DesktopError(reply["error"])
        return reply["result"]

    def ask(self, cmd: str, **args: Any) -> Any:
        """One request to the AT-SPI client (see atspi_client.py), about the app's objects."""
        assert self.client is not None and self.client.stdin is not None
        if self.app is not None and cmd not in ("enable", "listen", "events"):
            args.setdefault("pid", self.app.pid)
        self.client.stdin.write(json.dumps({"cmd": cmd, "args": args}) + "\n")
        self.client.stdin.flush()
        return self._answer(timeout=float(args.get("timeout", 0)) + 30)

    def wait_window(self, timeout: float = 60) -> Any:
        return self.ask("wait", timeout=timeout)

    def wait_for(self, cmd: str, check: Any, timeout: float = 10, **args: Any) -> Any:
        """Ask until `check(answer)` holds; the answer (DesktopError after `timeout`)."""
        deadline = time.monotonic() + timeout
        answer: Any = None
        while True:
            try:
                answer = self.ask(cmd, **args)
                if check(answer):
                    return answer
            except DesktopError:
                if time.monotonic() > deadline:
                    raise
            if time.monotonic() > deadline:
                raise DesktopError(f"{cmd} {args}: not so after {timeout} s; last: {answer!r}")
            time.sleep(0.15)

    def focused(self) -> list[dict[str, Any]]:
        answer: list[dict[str, Any]] = self.ask("focused")
        return answer

    def events(self) -> list[dict[str, Any]]:
        """The events recorded since the last call (see `listen`)."""
        answer: list[dict[str, Any]] = self._unread + self.ask("events")
        self._unread = []
        return answer

    def next_event(self, wanted: Any, timeout: float = 5) -> dict[str, Any]:
        """The first event from now on that `wanted(event)` accepts; the events after it stay
        unread for the next call."""
        seen: list[dict[str, Any]] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            batch = self.events()
            for n, event in enumerate(batch):
                if wanted(event):
                    self._unread = batch[n + 1 :]
                    return event
                seen.append(event)
            time.sleep(0.1)
        said = [(e.get("type"), e.get("role"), e.get("name"), e.get("detail1")) for e in seen]
        raise AssertionError(f"no such event in {timeout} s; there were {said}")

    # -- the keyboard -----------------------------------------------------------------------------
    def key(self, *keys: str, settle: float = 0.35) -> None:
        """Press keys in the focused window, e.g. key("Tab"), key("shift+F10")."""
        subprocess.run(["xdotool", "key", "--clearmodifiers", "--delay", "80", *keys],
                       env=self.env, check=True, timeout=30)  # fmt: skip
        time.sleep(settle)

    def type(self, text: str, settle: float = 0.35) -> None:
        subprocess.run(["xdotool", "type", "--delay", "40", text], env=self.env, check=True,
                       timeout=60)  # fmt: skip
        time.sleep(settle)

    def activate(self) -> None:
        """Give the app's window keyboard focus, as a desktop does when an app starts."""
        assert self.app is not None
        search = ["xdotool", "search", "--pid", str(self.app.pid), "--onlyvisible"]
        found = subprocess.run(
            [*search, "--name", "safedesk"],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout.split()
        for window in found[:1]:
            subprocess.run(["xdotool", "windowactivate", "--sync", window], env=self.env,
                           timeout=30, capture_output=True)  # fmt: skip


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when the test process dies, however it dies."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _read_line(fd: int, timeout: float, failure: str) -> str:
    data = b""
    deadline = time.monotonic() + timeout
    try:
        while b"\n" not in data:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise DesktopError(failure)
            chunk = os.read(fd, 256)
            if not chunk:
                raise DesktopError(failure)
            data += chunk
    finally:
        os.close(fd)
    return data.decode().strip()


def _stop(process: subprocess.Popen[Any]) -> None:
    """TERM the process's group (it leads one), then KILL what is left of it."""
    group = process.pid
    try:
        os.killpg(group, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        process.poll()
        return
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(3)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signal.SIGKILL)  # stragglers: the bus launcher's daemons
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(5)
