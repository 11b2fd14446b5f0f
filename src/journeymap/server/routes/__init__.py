"""The REST API's routes: one module a resource."""
