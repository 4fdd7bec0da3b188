"""``python -m lib.diagrams [outdir]`` (``make pics``): redraw the ten pictures of the lecture."""

from lib.diagrams.pictures import main

raise SystemExit(main())
