"""A small hand-built dataset of three forces shared by the metric formula tests."""

import pytest

from app.metrics.definitions import ForceCounts, ModuleCounts


@pytest.fixture
def avon():
    """A force with a known headcount and two modules."""
    return ForceCounts(
        force_code="A",
        force_name="Avon",
        nation="England",
        force_type="territorial",
        headcount=2000,
        registered=400,
        started=300,
        completed=120,
        certified=115,
        officers_assessed=310,
        officers_passed=250,
        modules=(
            ModuleCounts(
                "M1",
                "Recognising exploitation",
                officers_attempted=300,
                first_attempt_passes=210,
                passes=270,
                attempts_to_pass_sum=360,
                best_score_sum=24000.0,
            ),
            ModuleCounts(
                "M2",
                "Victim care",
                officers_attempted=200,
                first_attempt_passes=150,
                passes=180,
                attempts_to_pass_sum=216,
                best_score_sum=15000.0,
            ),
        ),
        overdue=30,
        certificates_valid=100,
        certificates_expiring=15,
        certificates_expired=5,
        confidence_gain_sum=180.0,
        confidence_gain_count=90,
        median_days_to_completion=21.5,
        days_to_completion_count=80,
    )


@pytest.fixture
def bristol():
    """A force whose headcount is unknown."""
    return ForceCounts(
        force_code="B",
        force_name="Bristol",
        headcount=None,
        registered=50,
        started=40,
        completed=10,
        certified=8,
        officers_assessed=40,
        officers_passed=36,
        modules=(
            ModuleCounts(
                "M1",
                "Recognising exploitation",
                officers_attempted=40,
                first_attempt_passes=20,
                passes=36,
                attempts_to_pass_sum=54,
                best_score_sum=2800.0,
            ),
        ),
        overdue=6,
        certificates_valid=8,
        certificates_expiring=2,
        certificates_expired=0,
        confidence_gain_sum=-3.0,
        confidence_gain_count=6,
        median_days_to_completion=40.0,
        days_to_completion_count=9,
    )


@pytest.fixture
def cumbria():
    """A smaller force with a known headcount and one module."""
    return ForceCounts(
        force_code="C",
        force_name="Cumbria",
        headcount=500,
        registered=100,
        started=90,
        completed=50,
        certified=45,
        officers_assessed=80,
        officers_passed=76,
        modules=(
            ModuleCounts(
                "M1",
                "Recognising exploitation",
                officers_attempted=80,
                first_attempt_passes=60,
                passes=76,
                attempts_to_pass_sum=100,
                best_score_sum=6000.0,
            ),
        ),
        overdue=0,
        certificates_valid=40,
        certificates_expiring=6,
        certificates_expired=4,
        confidence_gain_sum=60.0,
        confidence_gain_count=40,
        median_days_to_completion=14.0,
        days_to_completion_count=45,
    )
