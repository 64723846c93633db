"""Word and Excel writers shared by every app: pure, data in, bytes out (no Django models)."""
