"""`python -m shoplab.datasets build|dictionary` (a package so runpy does not warn)."""

import sys

from shoplab.datasets import main

sys.exit(main())
