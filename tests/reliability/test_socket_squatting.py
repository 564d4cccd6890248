"""Case 9: another local user cannot squat the single-instance socket. The socket lives in a
folder only this user can enter, and a peer that is another user is ignored at both ends. With
a real second user (made with useradd when the tests run as root; skipped otherwise)."""

from __future__ import annotations

import hashlib
import os
import pwd
import shutil
import socket
import stat
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from safedesk.ui import single_instance
from safedesk.ui.single_instance import (
    InstanceServer,
    ask_running_instance,
    peer_uid,
    runtime_folder,
    same_user,
    server_name,
)

OTHER = "safedesk-test-other"
LISTENER = """
import os, socket, sys
path = sys.argv[1]
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(path)
os.chmod(path, 0o777)  # anyone may connect: the squatter wants to be found
server.listen(8)
print("listening", flush=True)
while True:
    conn, _ = server.accept()
    conn.recv(64)
    conn.close()
"""
CONNECTOR = """
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.sendall(b"raise\\n")
s.recv(1)
"""


@pytest.fixture(scope="module")
def other_user() -> Iterator[pwd.struct_passwd]:
    """A real second local user, made for these tests (and removed after) when running as root."""
    if os.geteuid() != 0 or not shutil.which("useradd"):
        pytest.skip("needs root and useradd to make a second local user")
    made = False
    try:
        user = pwd.getpwnam(OTHER)
    except KeyError:
        done = subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", OTHER],
            capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode:
            pytest.skip(f"useradd failed: {done.stderr.strip()}")
        made = True
        user = pwd.getpwnam(OTHER)
    try:
        yield user
    finally:
        if made:
            subprocess.run(["userdel", OTHER], capture_output=True)


def _python_for(user: pwd.struct_passwd) -> str:
    """An interpreter the other user may run (the test venv may sit in root's home)."""
    for candidate in ("/usr/bin/python3", "/usr/local/bin/python3"):
        ok = subprocess.run([candidate, "-c", "pass"], user=user.pw_uid, group=user.pw_gid,
                            extra_groups=[], capture_output=True, cwd="/")  # fmt: skip
        if Path(candidate).exists() and ok.returncode == 0:
            return candidate
    pytest.skip("no Python the second user may run")


def _as(user: pwd.struct_passwd, code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [_python_for(user), "-c", code, *args], user=user.pw_uid, group=user.pw_gid,
        extra_groups=[], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd="/",
        env={"PATH": "/usr/bin:/bin"},
    )  # fmt: skip


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder every user may write in (like /tmp: mode 1777)."""
    folder = Path(tempfile.mkdtemp(prefix="safedesk-shared-", dir="/tmp"))
    folder.chmod(0o1777)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _squat(user: pwd.struct_passwd, path: Path) -> subprocess.Popen[str]:
    squatter = _as(user, LISTENER, str(path))
    assert squatter.stdout is not None
    line = squatter.stdout.readline().strip()
    assert line == "listening", squatter.stderr.read() if squatter.stderr else line
    assert path.lstat().st_uid == user.pw_uid
    return squatter


def _stop(process: subprocess.Popen[str]) -> None:
    process.kill()
    process.wait()


def test_a_socket_another_user_made_in_tmp_is_not_taken_for_safedesk(
    other_user: pwd.struct_passwd, qtbot: QtBot, tmp_path: Path
) -> None:
    """The defect: the old name, /tmp/safedesk-<hash>, squatted; safedesk said 'already open'."""
    from safedesk.ui.app import run

    data_dir = tmp_path / "library"
    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    old_name = Path(tempfile.gettempdir()) / f"safedesk-{digest}"
    old_name.unlink(missing_ok=True)
    squatter = _squat(other_user, old_name)
    try:
        name = server_name(data_dir)
        assert name is not None and Path(name).parent == runtime_folder()
        assert not ask_running_instance(name)
        window = run(str(data_dir), exec_=False)
        assert not isinstance(window, int), "safedesk did not open"
        qtbot.addWidget(window)
        assert window.instance_server.listening
        assert ask_running_instance(name)  # and a second launch of ours finds it
        window.close()
    finally:
        _stop(squatter)
        old_name.unlink(missing_ok=True)


def test_a_server_of_another_user_is_ignored_where_it_can_be_reached(
    other_user: pwd.struct_passwd, qtbot: QtBot, shared: Path
) -> None:
    path = shared / "safedesk-socket"
    squatter = _squat(other_user, path)
    try:
        assert not ask_running_instance(str(path))
    finally:
        _stop(squatter)


def test_a_connection_from_another_user_does_not_raise_the_window(
    other_user: pwd.struct_passwd, qtbot: QtBot, shared: Path
) -> None:
    path = shared / "ours"
    server = InstanceServer(str(path))
    try:
        assert server.listening
        path.chmod(0o777)  # as if the socket could be reached: the peer check still holds
        raised: list[bool] = []
        server.raise_requested.connect(lambda: raised.append(True))
        knocker = _as(other_user, CONNECTOR, str(path))
        deadline = time.monotonic() + 5
        while knocker.poll() is None and time.monotonic() < deadline:
            qtbot.wait(20)
        qtbot.wait(100)
        assert knocker.returncode is not None and not raised
        assert ask_running_instance(str(path))  # this user's own knock still works
        qtbot.waitUntil(lambda: bool(raised), timeout=2000)
    finally:
        server.close()


def test_the_peer_of_a_real_connection_is_known(
    other_user: pwd.struct_passwd, shared: Path
) -> None:
    path = shared / "plain"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    path.chmod(0o777)
    listener.listen(2)
    try:
        knocker = _as(other_user, CONNECTOR, str(path))
        conn, _ = listener.accept()
        assert peer_uid(conn.fileno()) == other_user.pw_uid and not same_user(conn.fileno())
        conn.close()
        knocker.wait(5)
        mine = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        mine.connect(str(path))
        conn, _ = listener.accept()
        assert same_user(conn.fileno())
        conn.close()
        mine.close()
    finally:
        listener.close()


def test_a_runtime_folder_that_is_not_private_is_not_used(
    other_user: pwd.struct_passwd, monkeypatch: pytest.MonkeyPatch, shared: Path
) -> None:
    theirs = shared / "theirs"
    theirs.mkdir(mode=0o700)
    os.chown(theirs, other_user.pw_uid, other_user.pw_gid)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(theirs))
    assert runtime_folder() != theirs / "safedesk"
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(shared))  # ours? no: open to everyone
    folder = runtime_folder()
    assert folder is not None and shared not in folder.parents
    info = folder.lstat()
    assert info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) == 0o700


def test_a_planted_folder_in_the_fallback_place_is_refused(
    other_user: pwd.struct_passwd, shared: Path
) -> None:
    planted = shared / "run"
    planted.mkdir(mode=0o777)
    os.chown(planted, other_user.pw_uid, other_user.pw_gid)
    assert not single_instance.private_folder(planted)
    link = shared / "link"
    link.symlink_to(planted)
    assert not single_instance.private_folder(link)
    mine = shared / "mine"
    mine.mkdir(mode=0o755)
    assert single_instance.private_folder(mine)  # ours but open: closed, then used
    assert stat.S_IMODE(mine.stat().st_mode) == 0o700
