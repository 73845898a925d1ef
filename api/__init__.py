"""HTTP API: app factory, routers, widget."""
