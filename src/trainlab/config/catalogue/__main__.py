"""``python -m trainlab.config.catalogue [OUT]``: write ``docs/lecture.md``."""

from trainlab.config.catalogue.markdown import main

if __name__ == "__main__":
    main()
