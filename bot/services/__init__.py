"""Use cases: one function per thing a person does, taking the store and ports, returning plain results."""
