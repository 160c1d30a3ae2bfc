"""NiceGUI pages. Each module's ``register(ctx)`` declares its routes."""
