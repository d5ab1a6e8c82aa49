"""Allow ``python -m reader`` as well as the ``newsreader`` script."""

from reader.launch import run

if __name__ == "__main__":
    run()
