"""The bundled sample outlet (``site/``), the local outlet server, and ``newsmon demo``."""
