"""InfraShare: a cross-industry infrastructure-sharing marketplace."""

__version__ = "0.1.0"
