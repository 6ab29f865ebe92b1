"""The runtime's version, appended to every generated client's User-Agent."""

__version__ = "0.1.0"
