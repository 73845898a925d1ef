"""HTTP routers: parse input, call a service, shape the answer."""
