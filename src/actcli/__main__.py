"""``python -m actcli``: the same as the ``actcli`` command."""

from actcli.cli import main

main()
