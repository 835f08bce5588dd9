"""The API's routes, one module per area of SYNC-API.md."""
