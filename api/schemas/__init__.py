"""Request and response bodies of the chat API, so /openapi.json documents every one."""
