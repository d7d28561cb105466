"""Records of help delivered: each kind, their rules, verification, certificates."""
