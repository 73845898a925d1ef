"""The shipped knowledge base answers the practitioner question set (recall@5 ≥ 0.90)."""

from __future__ import annotations

from assistant.evaluation import QUESTIONS, evaluate_retrieval, load_questions
from assistant.services import Services


def test_question_set_recall_at_5_is_at_least_0_90(knowledge_services: Services) -> None:
    questions = load_questions(QUESTIONS)
    assert len(questions) >= 40
    score = evaluate_retrieval(knowledge_services.retriever, questions, k=5)
    assert score.recall_at_k >= 0.90, score.misses
    assert score.mrr > 0.6
