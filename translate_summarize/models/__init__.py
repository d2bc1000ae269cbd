"""Which models tsum knows (registry) and how a name becomes a local directory (resolve).

Import from the modules themselves (``translate_summarize.models.registry``, ``.resolve``): a
package that re-exports them would load both for every caller that needs one.
"""
