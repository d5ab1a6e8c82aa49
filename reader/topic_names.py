"""Topic renames: ``[topics] rename = {"AI" = "Artificial Intelligence"}`` in config.toml.

No Textual. Feeds spell one subject several ways; a rename merges them under one name.
It is applied once, as entries are loaded (:class:`reader.library.Source`),
so the sidebar, its counts, the ``topic:`` qualifier and the detail pane all
see the same name. The work is per distinct joined topic string (some
thousands), not per article (100,000). Keys are matched ignoring case, and
every other casing of a new name is merged into the spelling given.
"""

from __future__ import annotations

from itertools import compress
from operator import attrgetter
from pathlib import Path
from typing import Any

from reader.entry import TOPIC_SEP, Entry, split_topics
from reader.feeds.config import FeedConfigError, read_document

_TOPICS = attrgetter("topics")


class TopicNames:
    """Old topic names to new ones, resolved so that renaming twice is renaming once.

    Chains are followed (``A → B``, ``B → C`` renames A to C); rules that go
    round in a circle are left out (see :attr:`circular`). Idempotence
    matters: a list patched after a scan holds renamed and fresh entries side
    by side, and only the fresh ones are renamed.
    """

    def __init__(self, renames: dict[str, str] | None = None) -> None:
        folded: dict[str, str] = {}
        for old, new in (renames or {}).items():
            folded.setdefault(old.casefold(), new)
        self.circular: list[str] = []
        """Old names whose renames lead back to themselves: not renamed."""
        spelling: dict[str, str] = {}  # one spelling per new name, the first given
        self._to: dict[str, str] = {}
        for key, target in folded.items():
            seen = {key}
            while not _final(folded, target):
                if target.casefold() in seen:  # back to a name renamed: a circle
                    self.circular.append(key)
                    break
                seen.add(target.casefold())
                target = folded[target.casefold()]
            else:
                target = folded.get(target.casefold(), target)  # {"ai" = "AI"} sets the casing
                self._to[key] = spelling.setdefault(target.casefold(), target)
        for target in spelling.values():
            self._to.setdefault(target.casefold(), target)  # "artificial intelligence" too

    def __bool__(self) -> bool:
        return bool(self._to)

    def name(self, topic: str) -> str:
        """The name ``topic`` goes by (itself when not renamed)."""
        return self._to.get(topic.casefold(), topic)

    def joined(self, joined: str) -> str:
        """A :data:`~reader.entry.TOPIC_SEP`-joined string with each topic renamed, once each."""
        topics = split_topics(joined)
        if not any(map(self._to.__contains__, map(str.casefold, topics))):
            return joined  # the usual case, decided in C
        return TOPIC_SEP.join(dict.fromkeys(map(self.name, topics)))

    def apply(self, entries: list[Entry]) -> list[Entry]:
        """``entries`` with their topics renamed (the same list when nothing changes)."""
        if not self._to or not entries:
            return entries
        joined = list(map(_TOPICS, entries))
        changed = {}
        for topics in set(joined):
            renamed = self.joined(topics)
            if renamed != topics:
                changed[topics] = renamed
        if not changed:
            return entries
        result = list(entries)  # the loops over 100,000 entries are in C; the renames are few
        for i in compress(range(len(joined)), map(changed.__contains__, joined)):
            result[i] = result[i]._replace(topics=changed[joined[i]])
        return result


def _final(folded: dict[str, str], name: str) -> bool:
    """Whether ``name`` is renamed no further (its only rule, if any, sets its casing)."""
    key = name.casefold()
    return key not in folded or folded[key].casefold() == key


NO_RENAMES = TopicNames()


def topic_names_from_document(document: dict[str, Any], path: Path) -> tuple[TopicNames, str]:
    """The renames in a parsed config, and a one-line warning about what was left out ("" if none).

    A bad ``[topics]`` section costs only the renames, never the start.
    """
    section = document.get("topics", {})
    if not isinstance(section, dict):
        return NO_RENAMES, f"{path}: [topics] must be a table; topic renames left out"
    table = section.get("rename", {})
    if not isinstance(table, dict):
        return NO_RENAMES, (
            f'{path}: [topics] rename must be a table like {{"AI" = "Artificial Intelligence"}}; '
            "topic renames left out"
        )
    renames: dict[str, str] = {}
    bad: list[str] = []
    for old, new in table.items():
        old, new = old.strip(), new.strip() if isinstance(new, str) else ""
        if old and new and TOPIC_SEP not in old + new:
            renames[old] = new
        else:
            bad.append(repr(old))
    names = TopicNames(renames)
    problems = []
    if bad:
        problems.append(f"a topic rename wants a new name: {', '.join(bad[:3])} left out")
    if names.circular:
        problems.append(
            f"topic renames going in a circle left out: {', '.join(names.circular[:3])}"
        )
    return names, f"{path}: {'; '.join(problems)}" if problems else ""


def load_topic_names(path: Path) -> tuple[TopicNames, str]:
    """The renames in the config file at ``path``, and a one-line warning ("" if none).

    A config that cannot be read at all has no renames and no warning here:
    the feed list reports that (the sidebar's Feeds section, the fetch).
    """
    try:
        document = read_document(path)
    except FeedConfigError:
        return NO_RENAMES, ""
    return topic_names_from_document(document, path)
