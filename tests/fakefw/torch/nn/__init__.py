"""The fake torch.nn: only its functional module."""

from torch.nn import functional

__all__ = ["functional"]
