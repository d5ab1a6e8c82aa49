"""Allow ``python -m reader`` as well as the ``newsreader`` script."""

from reader.cli import run

if __name__ == "__main__":
    run()
