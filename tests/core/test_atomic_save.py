"""Saving is atomic, keeps the file's mode and leaves no temporaries behind, even when
the saving process is killed at a random moment."""

from __future__ import annotations

import os
import random
import signal
import stat
import time

import pytest

from gui_backprop.core.atomic_file import remove_stale_temporaries, temporary_pattern
from gui_backprop.core.session_file import Session, load_session, save_session

PROGRAM = "x = [1.0, 2.0]\nw = 0.5\nloss = mean((w * x) ** 2)\n"
POSIX_ONLY = pytest.mark.skipif(os.name != "posix", reason="fork, flock and modes are POSIX")


def _session(losses: int, position: int) -> Session:
    # a long history makes one save last long enough to be killed in the middle of it
    history = tuple(1.0 / (step + 1) for step in range(losses))
    return Session(PROGRAM, {"x": (1.0, 2.0), "w": 0.5}, ("w",), 0.05, "playground",
                   position, {"epochs": 100}, history)


def _temporaries(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def _modes(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@POSIX_ONLY
def test_a_save_keeps_the_mode_of_the_file_it_replaces(tmp_path):
    path = tmp_path / "work.bplab"
    save_session(_session(3, 0), path)
    for mode in (0o644, 0o640, 0o604):
        path.chmod(mode)
        save_session(_session(3, 1), path)
        assert _modes(path) == mode


@POSIX_ONLY
def test_a_new_file_gets_the_umasks_mode(tmp_path):
    old = os.umask(0o027)
    try:
        save_session(_session(3, 0), tmp_path / "new.bplab")
    finally:
        os.umask(old)
    assert _modes(tmp_path / "new.bplab") == 0o640


def test_a_save_removes_leftover_temporaries_of_that_file_only(tmp_path):
    path = tmp_path / "work.bplab"
    left = [tmp_path / ".work.bplab.abcd_123.tmp", tmp_path / ".work.bplab.zz99zz99.tmp"]
    kept = [tmp_path / ".other.bplab.abcd1234.tmp", tmp_path / ".work.bplab.toolong99.tmp",
            tmp_path / "work.bplab.abcd1234.tmp"]
    for file in left + kept:
        file.write_text("partial")
    save_session(_session(3, 0), path)
    assert _temporaries(tmp_path) == sorted(p.name for p in kept)


@POSIX_ONLY
def test_a_temporary_locked_by_a_live_writer_is_kept(tmp_path):
    import fcntl

    path = tmp_path / "work.bplab"
    busy = tmp_path / ".work.bplab.live0000.tmp"
    with open(busy, "wb") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        assert remove_stale_temporaries(path) == 0
    assert remove_stale_temporaries(path) == 1
    assert temporary_pattern("work.bplab").fullmatch(busy.name)


def _slow_disk() -> None:
    """Make flushing to disk take a while (in the child only), so that most kills land
    while the temporary file exists, as they would on a slow disk."""
    real = os.fsync

    def fsync(fd):
        time.sleep(0.03)
        real(fd)

    os.fsync = fsync


@POSIX_ONLY
def test_killing_a_saving_process_at_random_leaves_old_or_new_and_the_next_save_cleans(
        tmp_path):
    path = tmp_path / "work.bplab"
    versions = [_session(2_000, 1), _session(3_000, 2)]
    save_session(versions[0], path)
    path.chmod(0o640)
    rng = random.Random(12)
    left_behind = 0
    for kill in range(12):
        pid = os.fork()
        if pid == 0:  # the child saves one version after the other until it is killed
            try:
                _slow_disk()
                for round_ in range(1_000_000):
                    save_session(versions[(round_ + kill) % 2], path)
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0.02, 0.25))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        assert load_session(path) in versions  # whole, one or the other
        assert _modes(path) == 0o640
        left_behind += len(_temporaries(tmp_path))  # (the next child's save removes them)
    assert left_behind, "no kill landed while a temporary existed"
    save_session(versions[1], path)
    assert _temporaries(tmp_path) == []
    assert load_session(path) == versions[1] and _modes(path) == 0o640
