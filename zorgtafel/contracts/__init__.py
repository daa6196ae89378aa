"""The published language between services: event type names and their data fields."""
