"""Signals of the case record, so apps above it can follow a case without the case importing them.

`case_moment` is sent, inside the transaction, when a case reaches a moment that may call for a
conference (a phase change, new key dates, a decision on leave or regime, a risk assessment):
`casebridge.conferences` proposes one (`conferences.proposals`).
"""

from django.dispatch import Signal

case_moment = Signal()  # sender: the app's name; case_id
