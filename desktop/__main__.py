"""``python -m desktop``: the same as ``lapor-desk``."""

from desktop.app import main

raise SystemExit(main())
