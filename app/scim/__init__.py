"""Joiners and leavers by SCIM 2.0 (RFC 7643/7644), as Microsoft Entra ID provisioning sends them.

One Users endpoint per force, /scim/v2/forces/<code>/Users, authenticated by that force's bearer
token (rotated by an admin; only its hash is stored). Parsing, validation and PATCH are the
maintained `scim2-models` library's; this package maps its User to the platform's and writes it.
"""
