"""Archives in folder runs: each article of a JSON Lines or JSON archive becomes its own input.

An article ``id`` of ``news.jsonl`` is recorded in results.jsonl as ``news.jsonl#id``, written
to ``OUTDIR/news/<id>.<ext>`` (unless that name is taken: batch/ownership.py) and skipped on a
re-run when its own content is unchanged.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import PurePosixPath

from translate_summarize.batch.discover import InputFile
from translate_summarize.errors import InputError
from translate_summarize.text.archives import is_archive, read_archive, tsum_output_kind
from translate_summarize.text.reading import decode_bytes
from translate_summarize.util.files import read_input_bytes

# An archive is read whole (its articles are planned and hashed up front); beyond this, split it.
MAX_ARCHIVE_BYTES = 1024 * 2**20


def _archive_text(item: InputFile) -> str:
    try:
        size = item.path.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read {item.path}: {exc.strerror or exc}") from exc
    if size > MAX_ARCHIVE_BYTES:
        raise InputError(
            f"{item.path} is {size / 2**20:.0f} MiB, over the {MAX_ARCHIVE_BYTES // 2**20} MiB limit for one "
            "archive: split it into several archives"
        )
    data = read_input_bytes(item.path, MAX_ARCHIVE_BYTES, regular_only=True)  # bounded, regular files only
    try:
        return data.decode("utf-8-sig")  # JSON is UTF-8 (RFC 8259)
    except UnicodeDecodeError:
        return decode_bytes(data, str(item.path))  # a legacy archive (within the one-article size limit)


def expand_archives(inputs: list[InputFile]) -> list[InputFile]:
    """Replace each archive by its articles (and bad lines by inputs that carry an error).

    tsum's own outputs (results.jsonl, JSON outputs) are dropped: they are never inputs.
    """
    expanded: list[InputFile] = []
    # Output folders that other inputs write into: an archive's own folder must not be one of
    # them (news.jsonl beside a folder news/ writes to news.jsonl/, not over news/a.txt).
    taken = {
        str(parent).casefold()
        for item in inputs
        for parent in PurePosixPath(item.output_stem).parents
        if str(parent) != "."
    }
    for item in inputs:
        own = None if item.problem else tsum_output_kind(item.path)
        if own:  # accounted for with a skipped record that says why, never read as articles
            expanded.append(replace(item, skip=f"is {own}, not an article: tsum never reads its own outputs"))
            continue
        if item.problem or not is_archive(item.path):
            expanded.append(item)
            continue
        try:
            text = _archive_text(item)
            articles = read_archive(item.path, text)
        except InputError as exc:
            # a problem is recorded as "<path> <problem>": drop the path the message starts with
            expanded.append(
                replace(item, problem=str(exc).removeprefix(f"{item.path} ").removeprefix(f"{item.path}: "))
            )
            continue
        if not articles:  # an empty archive is accounted for too: one failed record
            expanded.append(replace(item, problem="holds no articles (an empty archive)"))
            continue
        if articles[0].single:
            # one article in a JSON file: an input like a text file (out/<name>.<ext>)
            expanded.append(replace(item, text=articles[0].text, sha256=articles[0].sha256))
            continue
        folder = item.output_stem  # news.jsonl -> news (news.jsonl when news.txt is an input too)
        if folder.casefold() in taken:
            folder = (
                item.relative
                if item.relative.casefold() not in taken
                else f"{item.relative}-{hashlib.sha256(item.relative.encode()).hexdigest()[:8]}"
            )
        for article in articles:
            expanded.append(
                InputFile(
                    path=item.path,
                    relative=item.relative,
                    output_stem=f"{folder}/{article.id}",
                    problem=article.error,
                    text=article.text or None,
                    sha256=article.sha256,
                    member=article.id,
                )
            )
    return expanded
