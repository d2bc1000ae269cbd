"""One package of test helpers, imported as ``support.<module>`` (tests/ is on sys.path through
tests/conftest.py):

- ``common``: the repository paths, the tiny-model builder, known articles, small .docx and .odt
  documents, a mounted tmpfs, JSON-schema checks;
- ``cli``: the CLI in-process (``tsum``, ``timed_tsum``, ``refusal``) and as a real process, and
  what folder runs leave behind;
- ``server``: ``tsum serve`` in a subprocess, ready to answer (``serving``; the fixtures of
  tests/serve/conftest.py use it), and what it has read from a client (``read_by_server``);
- ``browser``: a real headless Chromium;
- ``polling``: ``wait_for``, a condition polled until a deadline.
"""
