"""Utilities every layer may use: safe file I/O, printable names, network probes, cache paths."""
