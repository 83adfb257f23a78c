import gc
import sys

# Start-up allocates a few hundred thousand objects (SQLAlchemy, pydantic, the library) and none of
# them is garbage: collecting while importing only costs time before the first /healthz. Commands
# that serve turn collection back on once started (bot.runtime.collect_again), freezing what start-up
# made so that later full collections do not walk it again; the others at once.
gc.disable()

from bot.cli import main  # noqa: E402

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
