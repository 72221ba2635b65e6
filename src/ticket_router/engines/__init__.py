"""Routing engines, chosen by name: `local` (the embedded model), `agent` (an LLM orchestrating the 7 tools) and
`cascade` (the embedded model first, the agent only for the tickets it is unsure of). Every engine returns one
`Decision` per ticket, in order, and never raises for one bad ticket. Build one with `factory.build_engine`."""
