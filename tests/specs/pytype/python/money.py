"""``Money``: an amount and its currency, written ``"12.50 EUR"`` on the wire.

A hand-written value type for ``x-python-type`` (tests/codegen/test_python_type.py):
models validate it from the wire's string or take a ``Money`` as is, and dump it back
to the string in JSON mode (``__get_pydantic_core_schema__``).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = ["Money"]


class Money:
    """``Money("12.50", "EUR")``; equal when amount and currency are."""

    __slots__ = ("amount", "currency")

    def __init__(self, amount: str | Decimal, currency: str) -> None:
        try:
            self.amount = Decimal(amount)
        except InvalidOperation:
            raise ValueError(f"not an amount: {amount!r}") from None
        if len(currency) != 3 or not currency.isalpha() or not currency.isupper():
            raise ValueError(f"not a currency code: {currency!r}")
        self.currency = currency

    @classmethod
    def parse(cls, text: str) -> Money:
        amount, _, currency = text.partition(" ")
        return cls(amount, currency)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"

    def __repr__(self) -> str:
        return f"Money({str(self.amount)!r}, {self.currency!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        return (self.amount, self.currency) == (other.amount, other.currency)

    def __hash__(self) -> int:
        return hash((self.amount, self.currency))

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        from_text = core_schema.no_info_after_validator_function(
            cls.parse, core_schema.str_schema()
        )
        return core_schema.json_or_python_schema(
            json_schema=from_text,
            python_schema=core_schema.union_schema(
                [core_schema.is_instance_schema(cls), from_text]
            ),
            serialization=core_schema.to_string_ser_schema(when_used="json"),
        )
