"""Sphinx configuration of resample's documentation site.

Build it with ``python -m sphinx -W -b html docs docs/_build/html`` (the ``docs`` extra
has what it needs); ``.ci/run`` does, with warnings as errors. The API pages are made from
the docstrings (numpydoc), the gallery from ``examples/gallery`` (sphinx-gallery runs
each example and keeps its pictures), the guide and the specification from the Markdown
files in this folder (MyST).
"""
import os
from pathlib import Path

import resample

ROOT = Path(__file__).resolve().parents[1]

project = "resample"
author = "the resample developers"
copyright = "2026, the resample developers"
release = resample.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "README.md", "gallery/*.ipynb", "gallery/*.py",
                    "gallery/*.json", "gallery/*.md5", "gallery/*.zip"]
myst_heading_anchors = 4                          # [text](page.md#a-heading) links resolve
myst_enable_extensions = ["colon_fence"]
suppress_warnings = ["myst.header"]               # the spec starts its sections at "##"

autodoc_member_order = "bysource"
autodoc_typehints = "none"                       # the numpydoc sections say the types
numpydoc_show_class_members = False
numpydoc_xref_param_type = False
numpydoc_validation_checks = {"GL08"}             # every public object has a docstring

# The examples make their pictures at build time; every one must run without error.
sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples" / "gallery"),
    "gallery_dirs": "gallery",
    "filename_pattern": r"/plot_",
    "abort_on_example_error": True,
    "download_all_examples": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
}

intersphinx_mapping = {
    "python": ("https://docs.python.org/3", None),
    "numpy": ("https://numpy.org/doc/stable", None),
}
# The site is built offline (CI has no network): the mapping is only used when
# RESAMPLE_DOCS_INTERSPHINX=1, never to fail a build.
if os.environ.get("RESAMPLE_DOCS_INTERSPHINX") != "1":
    intersphinx_mapping = {}

html_theme = "furo"
html_title = f"resample {release}"
html_static_path = []
html_show_sourcelink = False
