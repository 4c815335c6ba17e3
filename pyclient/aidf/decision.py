"""The Decision returned by aidf.evaluate: the policy's JSON plus convenient accessors."""
from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Decision:
    document: dict
    engine: str
    # The revision of the bundle (or OPA server) that decided; None for the source tree.
    revision: str | None = None

    @property
    def allowed(self) -> bool:
        return self.document.get("allowed") is True

    @property
    def outcome(self) -> str:
        return self.document["outcome"]

    @property
    def authorization(self) -> str | None:
        return self.document.get("authorization")

    @property
    def review_policy(self) -> str | None:
        return self.document.get("review_policy")

    @property
    def reasons(self) -> list[dict]:
        return self.document.get("reasons", [])

    @property
    def obligations(self) -> list[dict]:
        return self.document.get("obligations", [])

    @property
    def reason_codes(self) -> list[str]:
        return [r["code"] for r in self.reasons]

    def to_dict(self) -> dict:
        return self.document
