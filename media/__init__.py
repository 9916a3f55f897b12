"""The exercise library: typed schema (:mod:`media.schema`), TOML data and its loader.

Load it with :func:`media.loader.load_library`.
"""
