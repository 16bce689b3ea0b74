"""Certificates as Open Badges 3.0 verifiable credentials (VC-JWT, RS256), with the platform's
published keys (JWKS, retired keys kept) and a 1EdTechRevocationList."""
