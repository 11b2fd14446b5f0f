"""Stage framework presets: the stages a new journey starts with."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StagePreset:
    id: str
    name: str
    description: str


@dataclass(frozen=True)
class Framework:
    id: str
    description: str
    stages: tuple[StagePreset, ...]


FRAMEWORKS: dict[str, Framework] = {
    f.id: f
    for f in (
        Framework(
            "five-stage",
            "Awareness, Consideration, Decision, Retention, Advocacy",
            (
                StagePreset("awareness", "Awareness", "The customer first learns about us."),
                StagePreset("consideration", "Consideration", "They compare us with others."),
                StagePreset("decision", "Decision", "They buy or sign up."),
                StagePreset("retention", "Retention", "They use what they bought and stay."),
                StagePreset("advocacy", "Advocacy", "They recommend us to others."),
            ),
        ),
        Framework(
            "three-stage",
            "Awareness, Consideration, Decision and post-purchase",
            (
                StagePreset("awareness", "Awareness", "The customer first learns about us."),
                StagePreset("consideration", "Consideration", "They research and compare."),
                StagePreset(
                    "decision", "Decision and post-purchase", "They buy, then live with it."
                ),
            ),
        ),
        Framework(
            "see-think-do",
            "See, Think, Do, Grow, Give (consideration states)",
            (
                StagePreset("see", "See", "The widest audience that could ever need us."),
                StagePreset("think", "Think", "They have a need and are weighing options."),
                StagePreset("do", "Do", "They are ready to act and buy."),
                StagePreset("grow", "Grow", "Customers who could buy more or stay longer."),
                StagePreset("give", "Give", "Loyal customers who speak for us."),
            ),
        ),
    )
}
