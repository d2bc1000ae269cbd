"""The library's core: options resolved into a runtime, models loaded, articles translated and summarised."""
