"""The ``tfvis demo`` gallery (private: run it with ``tfvis demo``)."""
