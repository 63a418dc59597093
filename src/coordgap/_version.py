"""The version of coordgap: the one place it is written (the build reads it from here)."""

__version__ = "0.1.0"

__all__ = ["__version__"]
