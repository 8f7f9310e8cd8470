"""Use cases: the one layer that writes. Each function is one use case and one transaction;
it takes the acting user and plain values, never the request."""
