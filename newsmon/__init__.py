"""newsmon, the application: the command line, the composition root, the daemon and the demo."""

__version__ = "0.1.0"
