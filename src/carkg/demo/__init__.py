"""The demo generator: source-system exports for N synthetic persons, plus the ground truth and traps."""

from carkg.demo.generator import DEFAULT_RATES, GenerateResult, TrapRates, generate

__all__ = ["DEFAULT_RATES", "GenerateResult", "TrapRates", "generate"]
