"""One package of test helpers, imported as ``support.<module>`` (tests/ is on sys.path through
tests/conftest.py):

- ``common``: the repository paths, the tiny-model builder, known articles, JSON-schema checks;
- ``cli``: the CLI in-process (``tsum``) and as a real process, and what folder runs leave behind;
- ``server``: ``tsum serve`` in a subprocess, ready to answer;
- ``browser``: a real headless Chromium;
- ``polling``: ``wait_for``, a condition polled until a deadline.
"""
