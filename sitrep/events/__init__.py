"""Events: mentions of one real attack, across articles and languages, become one event.

``merge`` decides which mentions are one attack (see merge.py); ``summary`` picks each event's
best values, keeps the values its sources disagree on and counts its independent sources.
"""

from sitrep.events.merge import EventState, Merger, merge

__all__ = ["EventState", "Merger", "merge"]
