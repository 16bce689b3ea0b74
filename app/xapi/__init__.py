"""Learning records to a force's Learning Record Store (xAPI 1.0.3).

Lesson reads, submitted attempts (passed or failed) and certificates issued become xAPI statements
(`statements.py`, pure and validated), written in the transaction of the record they describe
(`XapiStatement`, an outbox) and sent by the queue worker with retries (`delivery.py`): at least
once, and harmlessly more than once, because a statement's id is derived from its event.
"""
