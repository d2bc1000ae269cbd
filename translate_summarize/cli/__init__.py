"""The command-line interface: the click commands and what they call (thin over the library)."""
