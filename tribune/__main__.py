"""`python -m tribune ...` is the same as the `tribune` command."""

from tribune.cli import main

if __name__ == "__main__":
    main()
