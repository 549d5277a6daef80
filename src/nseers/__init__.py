"""nseers: port-of-entry inspection and NSEERS special registration.

The package is layered: ``core`` holds the shared vocabulary, ``rules`` holds the law as
dated, cited policy data and the pure decisions over it, and the entry points (``cli``)
sit thin on top. See ``docs/architecture.md``.
"""

__version__ = "0.1.0"
