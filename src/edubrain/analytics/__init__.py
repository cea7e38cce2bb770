"""Analytics: pure functions over tables (no I/O, no web, no CLI imports)."""
