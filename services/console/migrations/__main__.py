import sys

from services.console.migrations import main

sys.exit(main())
