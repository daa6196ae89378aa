"""The console's gRPC clients: one module per service, so an API change touches one place."""
