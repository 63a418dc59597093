"""The installed version of coordgap, read once from the package metadata."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("coordgap")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0+unknown"

__all__ = ["__version__"]
