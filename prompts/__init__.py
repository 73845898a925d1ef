"""Templates and texts: documents, refusals, LLM system prompts."""
