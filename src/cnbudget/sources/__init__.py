"""Sources: bytes in, a verified ``Source`` out.

A registered raw file has a sidecar ``<file>.meta.json`` (provenance, public URL, sha256); its
hash is checked before every read. ``fetch`` materialises registered files into ``data/raw``.
"""

from .sidecar import SIDECAR_SUFFIX, find_registered, sha256_of, sidecar_path
from .source import Source, load_source

__all__ = ["SIDECAR_SUFFIX", "Source", "find_registered", "load_source", "sha256_of", "sidecar_path"]
