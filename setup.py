"""Packaging beyond what pyproject.toml can declare: the shipped theme.

The site theme's source stays in the repository's top-level ``theme/`` (where the
theme's authors and reviewers expect it); the wheel carries it as the subpackage
``generator._theme`` through a package-dir mapping, so an installed gongkai finds it
inside the package (``generator/_theme/``), never through a source tree. Packages are
found at build time, so new subpackages need no edit here. ``generator/starter/``
holds the files ``gongkai init`` writes.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["generator", "generator.*"]), "generator._theme"],
    package_dir={"generator._theme": "theme"},
    package_data={
        "generator": ["py.typed", "starter/**/*"],
        "generator._theme": ["**/*"],
    },
    exclude_package_data={"generator._theme": ["**/.*", "**/__pycache__/*"]},
)
