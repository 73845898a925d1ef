"""The tier answer in chat: where the practitioner stands, what moving up needs, mastery."""

from __future__ import annotations

from assistant.chat.wording import say
from assistant.tiers import TierGap


def tier_answer(gap: TierGap, names: dict[str, str], has_profile: bool) -> str:
    """Markdown: heading, "to move up" list, draft-catalog note, mastery targets."""
    current = names.get(gap.current_tier, gap.current_tier)
    parts: list[str] = []
    if not has_profile:
        parts.append(say("tier_no_profile"))
    if gap.next_tier is None:
        parts.append(say("tier_top", current=current))
    else:
        nxt = names.get(gap.next_tier, gap.next_tier)
        parts.append(say("tier_heading", current=current, next=nxt))
        lines = [f"- {step.text}" for step in gap.next_steps]
        if gap.ready_for_next:
            lines.insert(0, f"- {say('tier_ready', next=nxt)}")
        parts.append(say("tier_move_up", next=nxt) + "\n" + "\n".join(lines))
    drafted = [s.id for s in gap.skills_missing if s.draft]
    if drafted:
        parts.append(say("tier_draft_skills", ids=", ".join(drafted)))
    if gap.mastery_targets:
        lines = [f"- {t.text}" for t in gap.mastery_targets]
        parts.append(say("tier_mastery", current=current) + "\n" + "\n".join(lines))
    parts += [f"_{note}_" for note in gap.notes]
    return "\n\n".join(parts)
