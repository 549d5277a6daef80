"""The API's endpoints, one module per area; each is parse, call a service, render."""
