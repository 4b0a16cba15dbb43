"""CEFR sentence levels (A1-C2). Only ``model``, ``training`` and ``export`` import torch; nothing here does."""
