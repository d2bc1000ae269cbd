"""Articles from the web: fetching pages politely and safely, and reading news feeds.

A layer beside ``text``: it turns URLs into bytes and article text, and never imports the
models, the pipeline or anything above them.
"""
