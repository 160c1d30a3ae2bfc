import sys

from raytranscribe.cli import main

sys.exit(main())
