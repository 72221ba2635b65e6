"""The embedded classifier: a small interface, the registered implementations, training and evaluation."""
