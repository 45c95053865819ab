"""Tribune: the whole website of a small, reader-funded newsroom."""

__version__ = "0.1.0"
