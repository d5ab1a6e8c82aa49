"""config.toml: every setting of the reader in one documented file.

Read once with the fast stdlib parser into a frozen :class:`Config`
(:func:`load_config`); changed with a style-preserving writer
(:mod:`reader.config.edit`) so people's comments survive. No Textual.
"""

from reader.config.load import load_config
from reader.config.model import Config, LoadedConfig, Problem

__all__ = ["Config", "LoadedConfig", "Problem", "load_config"]
