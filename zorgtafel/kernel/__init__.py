"""The platform kernel every service is built on, composed in ``bootstrap.bootstrap(settings)``."""
