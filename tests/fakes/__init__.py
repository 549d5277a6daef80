"""In-memory stand-ins for the registry's adapters, for unit tests with no database."""
