"""What the LLM engines need around a model: providers, the prompt, redaction, the validated answer, the tool
wrappers, prices and the time budget.

Only `providers`, `tools`, `budget` and `specialists` import Strands, and only when they are themselves imported by
an LLM engine; the core never imports this package's Strands-dependent modules.
"""
