"""Plain domain logic without I/O: figures, campaigns, periods, progress."""
