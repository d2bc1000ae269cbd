"""Text handling: bytes -> clean text -> metadata + sentences -> token-budget batches.

Import from the modules themselves (``translate_summarize.text.reading``, ``.segment``, ...): a
package that re-exports them would load the segmenter for every caller that needs only one step.
"""
