"""The Django project: settings, root URLs and the WSGI/ASGI entry points.

Domain apps (cases, catalogue, portal, supervision) live beside it as ``gongkai.<domain>``;
this package only wires them together.
"""
