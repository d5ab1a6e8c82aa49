"""Allow ``python -m reader`` as well as the ``newsreader`` script."""

from reader.cli import main

if __name__ == "__main__":
    main()
