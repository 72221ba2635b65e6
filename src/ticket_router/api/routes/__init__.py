"""Route handlers, one module per resource. Each parses, calls one service or store method, and answers."""
