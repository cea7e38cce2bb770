"""``python -m edubrain``: the same as the ``edubrain`` command (and a script path for ``spark-submit``)."""

from edubrain.cli import main

if __name__ == "__main__":
    main()
