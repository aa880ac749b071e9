"""cil: documents of an intercommunal social-housing allocation policy."""

__version__ = "0.1.0"
