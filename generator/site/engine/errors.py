"""The one error an engine raises, whichever engine it is."""


class EngineError(Exception):
    """The engine failed (a broken theme template, a bad setting, I/O); the message names the page if it can."""
