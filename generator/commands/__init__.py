"""The ``gongkai`` subcommands, one module per concern; generator/cli.py assembles them
into the ``gongkai`` group (the auditors' commands live in generator/cli_audit.py)."""
