"""Text handling: bytes -> clean text -> metadata + sentences -> token-budget batches."""

from translate_summarize.text.reading import clean_text, decode_bytes, read_article
from translate_summarize.text.segment import ParsedArticle, SourceSegment, parse_article, split_sentences

__all__ = [
    "ParsedArticle",
    "SourceSegment",
    "clean_text",
    "decode_bytes",
    "parse_article",
    "read_article",
    "split_sentences",
]
