"""What tsum writes: text, Markdown and JSON renderings and the html review pages."""
