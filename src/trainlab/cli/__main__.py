"""``python -m trainlab.cli``: the command line."""

from trainlab.cli.main import main

if __name__ == "__main__":
    main()
