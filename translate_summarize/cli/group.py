"""The `tsum` group: `tsum ARTICLE` runs the hidden default command; errors become one line."""

from __future__ import annotations

import errno
import sys
from pathlib import Path

import click
from click.shell_completion import CompletionItem

from translate_summarize.errors import MissingExtraError, TsumError

# What the CLI exits with for each error category (docs/usage.md, "Errors and exit codes").
EXIT_CODES = {"input": 2, "model": 3, "internal": 1}


def _fail(error: TsumError) -> None:
    from translate_summarize.util.names import printable_line

    click.echo(printable_line(f"Error: {error}"), err=True)  # a file name in it is shown, never obeyed
    sys.exit(EXIT_CODES[error.category])


class DefaultCommandContext(click.Context):
    """The hidden default command speaks as `tsum` itself in usage lines and error hints."""

    @property
    def command_path(self) -> str:
        return self.parent.command_path if self.parent is not None else super().command_path


class DefaultCommand(click.Command):
    context_class = DefaultCommandContext


class TsumGroup(click.Group):
    """`tsum ARTICLE ...` runs the default command; `tsum models ...` the subcommand.

    An argument that names both a subcommand and an existing file or folder (a folder called
    `models`) is read as the path when arguments follow it that do not parse as that subcommand:
    `tsum models -o out/` translates the folder; `tsum models` and `tsum models list` stay the
    subcommand; `tsum ./models ...` always means the path.
    """

    default_command = "run"

    def parse_args(self, ctx, args):
        if not args and ctx.resilient_parsing:
            pass  # shell completion of `tsum <TAB>`: offer the subcommands and files
        elif not args:
            # The run command's own "Missing argument" usage error (exit 2): a script passing an
            # empty variable must not get a page of help and success.
            args = [self.default_command]
        elif self._runs_default(ctx, args):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)

    def _runs_default(self, ctx, args) -> bool:
        if args[0] in ("--help", "-h", "--version"):
            return False
        if args[0] not in self.commands:
            return True
        # Alone, the word stays the subcommand (`tsum models` shows its help even beside a models/ folder).
        return (
            len(args) > 1 and Path(args[0]).exists() and not _parses_as(self.commands[args[0]], args[0], args[1:], ctx)
        )

    def format_help(self, ctx, formatter):
        command = self.commands[self.default_command]
        # The run command's help, spoken as `tsum` (with -h/--help, which it accepts through `tsum`).
        with click.Context(
            command, info_name=ctx.info_name, parent=None, help_option_names=ctx.help_option_names
        ) as sub:
            command.format_help(sub, formatter)
        formatter.write_paragraph()
        self.format_commands(ctx, formatter)

    def list_commands(self, ctx):
        return [name for name in super().list_commands(ctx) if name != self.default_command]

    def shell_complete(self, ctx, incomplete):
        # The first word may be a subcommand or an ARTICLE: offer both.
        items = super().shell_complete(ctx, incomplete)
        if not incomplete.startswith("-"):
            items.append(CompletionItem(incomplete, type="file"))
        else:  # `tsum --fo<TAB>`: the options of the default command too
            run_context = self.commands[self.default_command].make_context(
                ctx.info_name, [], parent=ctx, resilient_parsing=True
            )
            items += self.commands[self.default_command].shell_complete(run_context, incomplete)
        return items

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except TsumError as error:
            _fail(error)
        except ImportError as exc:
            # A package tsum needs is missing or broken (a partial install, a shadowing module):
            # one line that names it and what to do; an import error inside tsum is a bug to see.
            missing = (exc.name or "").partition(".")[0]
            if not missing or missing == "translate_summarize":
                raise
            _fail(
                MissingExtraError(
                    f"the Python package {missing} cannot be imported ({exc}): tsum's installation is "
                    "incomplete or broken; reinstall it (pip install --force-reinstall translate-summarize)"
                )
            )
        except KeyboardInterrupt:
            import signal

            # A second Ctrl-C during shutdown (joining threads) would print "Exception ignored in
            # <module 'threading'>": we are already stopping, so ignore it.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            click.echo("Error: interrupted", err=True)
            sys.exit(130)

    def main(self, *args, **kwargs):
        # Help, --version or a listing printed to a full or broken standard output
        # (`tsum --help >/dev/full`) is one line, not a traceback; any other OSError is a bug
        # to see in full, not a write error to blame on standard output.
        watched = _WatchedStream(sys.stdout) if sys.stdout is not None else None
        if watched is not None:
            sys.stdout = watched
        try:
            return super().main(*args, **kwargs)
        except OSError as exc:
            from translate_summarize.util.files import silence_stdout

            if exc.errno not in (errno.ENOSPC, errno.EIO, errno.EBADF, errno.EPIPE) or watched is None:
                raise
            if watched.error is not exc:
                raise
            silence_stdout()
            click.echo(f"Error: cannot write to standard output ({exc.strerror})", err=True)
            sys.exit(1)
        finally:
            if watched is not None and sys.stdout is watched:
                sys.stdout = watched.stream


class _WatchedStream:
    """Standard output, remembering the error its last failed write or flush raised.

    Every answer tsum prints outside an article's output (help, --version, listings) is written
    with ``click.echo`` to ``sys.stdout``; with this stream there, an OSError reaching ``main`` is
    known to be standard output's own by identity, not guessed from where it was raised.
    Everything else (``buffer``, ``fileno``, ``isatty``, ``encoding``) is the real stream's.
    """

    def __init__(self, stream):
        self.stream = stream
        self.error: OSError | None = None

    def write(self, text):
        try:
            return self.stream.write(text)
        except OSError as exc:
            self.error = exc
            raise

    def flush(self):
        try:
            return self.stream.flush()
        except OSError as exc:
            self.error = exc
            raise

    def __getattr__(self, name):
        return getattr(self.stream, name)


def _parses_as(command: click.Command, name: str, args: list[str], parent: click.Context) -> bool:
    """Whether ``args`` are a valid invocation of ``command`` (help requests always are)."""
    if any(arg in parent.help_option_names for arg in args):
        return True
    if isinstance(command, click.Group):
        # `tsum models path` (NAME missing) names a subcommand of the group: that is what was meant,
        # and its own usage error says what is missing.
        words = [arg for arg in args if not arg.startswith("-")]
        return bool(words) and words[0] in command.commands
    try:
        with command.make_context(name, list(args), parent=parent):
            return True
    except click.UsageError:
        return False


def did_you_mean(group: click.Group, words: tuple[str, ...]) -> str:
    """``: did you mean `tsum models list`?`` when ``words`` (taken for paths) look like a command.

    ``tsum list models``, ``tsum model list`` and ``tsum --format json models list`` all meant a
    subcommand; difflib finds the nearest command and, in a group, the nearest subcommand.
    """
    import difflib

    plain = [word.lower() for word in words if word and "/" not in word and "." not in word]
    names = [name for name in group.list_commands(click.get_current_context()) if name in group.commands]

    def nearest(word: str, choices, cutoff: float) -> str | None:
        match = difflib.get_close_matches(word, choices, n=1, cutoff=cutoff)
        return match[0] if match else None

    for i, word in enumerate(plain):
        command = nearest(word, names, 0.75)
        if command is None:
            continue
        sub = group.commands[command]
        if not isinstance(sub, click.Group):
            return f": did you mean `tsum {command} --help`?"
        rest = [other for j, other in enumerate(plain) if j != i]
        subcommand = next((m for other in rest if (m := nearest(other, list(sub.commands), 0.6))), None)
        return (
            f": did you mean `tsum {command} {subcommand}`?"
            if subcommand
            else f": did you mean `tsum {command} --help`?"
        )
    for name in names:  # `tsum list`: a subcommand of a group, without the group
        sub = group.commands[name]
        if isinstance(sub, click.Group):
            for word in plain:
                if (subcommand := nearest(word, list(sub.commands), 0.8)) is not None:
                    return f": did you mean `tsum {name} {subcommand}`?"
    return ""
