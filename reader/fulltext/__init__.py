"""Full text on demand: download an article's web page and keep its text.

:mod:`~reader.fulltext.extract` finds the article in a page,
:mod:`~reader.fulltext.download` fetches pages within strict limits, and
:mod:`~reader.fulltext.store` keeps the results (and the failures, so they
are not retried on every visit) in the cache's own dot-folder, keyed by URL.
Article files are never written. Nothing is imported here, so that
``newsreader`` starts without loading the HTTP and extraction libraries.
"""
