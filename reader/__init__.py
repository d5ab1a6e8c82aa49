"""newsreader: a fast terminal reader for folders of Markdown news articles."""

__version__ = "0.1.0"
