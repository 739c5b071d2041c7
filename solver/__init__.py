"""Game-theoretic scenario solver."""
