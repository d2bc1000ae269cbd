"""Temporaries left by killed runs and conversions are removed; those of live ones are kept."""

from __future__ import annotations

import os
import time

from translate_summarize.batch.discover import remove_stale_temporaries
from translate_summarize.util.files import LOCK_NAME, TMP_PREFIX

# --- conversions killed with kill -9 are cleaned up -----------------------------------------------


def test_stale_conversion_folders_are_removed_and_live_ones_kept(tmp_path):
    from translate_summarize.models.convert import OWNER_LOCK, remove_stale_conversions
    from translate_summarize.util.locks import try_lock

    dead_locked = tmp_path / ".converting-dead"
    old_unlocked = tmp_path / ".converting-old"
    new_unlocked = tmp_path / ".converting-new"
    live = tmp_path / ".converting-live"
    for folder in (dead_locked, old_unlocked, new_unlocked, live):
        folder.mkdir()
        (folder / "model.bin").write_bytes(b"partial")
    (dead_locked / OWNER_LOCK).touch()  # its owner died: nobody holds the lock
    (live / OWNER_LOCK).touch()
    two_hours_ago = time.time() - 7200
    for folder in (dead_locked, old_unlocked, live):
        os.utime(folder, (two_hours_ago, two_hours_ago))
    holder = try_lock(live / OWNER_LOCK)
    try:
        remove_stale_conversions(tmp_path)
    finally:
        os.close(holder)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".converting-live", ".converting-new"]


def test_cleanup_leaves_the_temporaries_of_a_nested_outdir_to_its_own_run(tmp_path):
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    (out / "nested").mkdir()
    (out / "nested" / LOCK_NAME).write_text("")  # another run's OUTDIR (tsum -o out/nested)
    for folder in ("", "sub", "nested"):
        (out / folder / f"{TMP_PREFIX}abc123").write_text("half")
    remove_stale_temporaries(out)
    assert not (out / f"{TMP_PREFIX}abc123").exists()
    assert not (out / "sub" / f"{TMP_PREFIX}abc123").exists()
    assert (out / "nested" / f"{TMP_PREFIX}abc123").exists()
