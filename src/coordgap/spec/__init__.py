"""Model files: TOML → validated :class:`ModelSpec`, reporting every problem at once."""

from .model import ActorGroup, ModelSpec, load_model
from .validate import validate

__all__ = ["ActorGroup", "ModelSpec", "load_model", "validate"]
