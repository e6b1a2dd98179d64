"""The package version: below every other module, so none of them imports the package face
(``resample/__init__.py``) to learn it. pyproject.toml reads it from here."""
__version__ = "0.1.0"
