"""NiceGUI front end: accounts, audit log, and the clinician's transient transcript screen.

Imports the engine; the engine never imports this package.
"""
