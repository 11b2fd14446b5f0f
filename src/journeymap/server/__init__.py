"""The workspace server: FastAPI app, routes, accounts and access."""
