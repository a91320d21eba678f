"""For ``scrapyd-deploy``, which builds the egg with ``python setup.py bdist_egg`` and
writes a setup.py of its own where there is none; everything is in pyproject.toml."""

from setuptools import setup

setup()
