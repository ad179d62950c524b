"""What research staff see about an instrument: figures computed once, for pages and reports alike."""
