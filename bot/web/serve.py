"""`python -m bot.web.serve APP [uvicorn's options]`: the web process under uvicorn, without TensorFlow."""

from __future__ import annotations

import sys


def main() -> None:
    """uvicorn's own command line, with TensorFlow marked absent first.

    The review app redacts with Presidio, whose spaCy (thinc) imports TensorFlow whenever it can: 400 MB
    and seconds at start for nothing, since the web process never runs a model.
    """
    sys.modules.setdefault("tensorflow", None)  # type: ignore[arg-type]  # None: "import tensorflow" fails
    import uvicorn

    uvicorn.main()


if __name__ == "__main__":
    main()
