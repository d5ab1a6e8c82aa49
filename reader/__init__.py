"""newsreader: a fast terminal reader for folders of Markdown news articles."""

import os

__version__ = "0.1.0"

# numpy asks Linux for huge pages for every array of 4 MiB and more. Where the kernel then
# makes them on first touch (``transparent_hugepage`` set to ``madvise``, the usual default),
# the first arrays of that size took 100-200 ms to fill on a virtual machine, where 8 MiB
# filled in 5 ms without: the first key of a search at a million articles waited 0.13 s for
# one. Huge pages speed up arrays far bigger than the reader's. Read once, as numpy is
# imported (always after this package); a value set by the user wins.
os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")
