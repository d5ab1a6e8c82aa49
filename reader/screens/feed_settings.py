"""A feed's own settings as a small form (``e`` on the feeds screen).

Name, topics, full text, and the four refresh and pruning settings of
:mod:`reader.feeds.policy`. A number left blank is not the feed's own: the
top-level value applies (shown as the placeholder). Values are checked with
:func:`~reader.feeds.policy.policy_values`, the rule the config file is read
with, so the form cannot write what the reader would refuse to read.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Select, Static

from reader.feeds.config import Feed, clean_topics
from reader.feeds.policy import POLICY_KEYS, Policy, PolicyError, policy_values
from reader.feeds.text import line

NUMBERS = {
    "refresh_minutes": ("Refresh minutes", "0 = never by itself"),
    "keep_days": ("Keep days", "0 = keep every article"),
    "max_items": ("Max articles", "0 = no limit"),
}
DEFAULT, YES, NO = "default", "yes", "no"


def policy_words(policy: Policy, own: dict[str, Any]) -> str:
    """The settings in force in words, ``(own)`` after those the feed sets itself."""
    words = {
        "refresh_minutes": f"refresh every {policy.refresh_minutes} min"
        if policy.refresh_minutes
        else "no background refresh",
        "keep_days": f"keep {policy.keep_days} days" if policy.keep_days else "kept forever",
        "max_items": f"at most {policy.max_items} articles"
        if policy.max_items
        else "no article limit",
        "prune_unread": "unread may be pruned" if policy.prune_unread else "unread never pruned",
    }
    return " · ".join(text + (" (own)" if key in own else "") for key, text in words.items())


class FeedSettingsScreen(ModalScreen[Feed | None]):
    """Dismisses with the feed as changed, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def __init__(self, feed: Feed, title: str, defaults: Policy) -> None:
        super().__init__()
        self.feed = feed
        self.title_shown = title
        self.defaults = defaults
        """The top-level settings: what a blank field means."""

    def compose(self) -> ComposeResult:
        own = dict(self.feed.overrides)
        with Vertical(id="settings-box"):
            yield Static(f"Settings of “{self.title_shown}”", id="settings-title", markup=False)
            with Grid(id="settings-form"):
                yield Static("Name", markup=False)
                yield Input(
                    self.feed.name, placeholder="the feed's own title", id="set-name", compact=True
                )
                yield Static("Topics", markup=False)
                topics = ", ".join(self.feed.topics)
                hint = "comma-separated; the first comes first"
                yield Input(topics, placeholder=hint, id="set-topics", compact=True)
                for key, (label, meaning) in NUMBERS.items():
                    yield Static(label, markup=False)
                    value = str(own[key]) if key in own else ""
                    default = getattr(self.defaults, key)
                    placeholder = f"default {default} ({meaning})"
                    yield Input(
                        value,
                        placeholder=placeholder,
                        type="integer",
                        id=f"set-{key}",
                        compact=True,
                    )
                yield Static("Prune unread", markup=False)
                choice = DEFAULT
                if "prune_unread" in own:
                    choice = YES if own["prune_unread"] else NO
                default = YES if self.defaults.prune_unread else NO
                yield Select(
                    [(f"as the default ({default})", DEFAULT), (YES, YES), (NO, NO)],
                    value=choice,
                    allow_blank=False,
                    id="set-prune_unread",
                    compact=True,
                )
                yield Static("Full text", markup=False)
                yield Checkbox(
                    "download each new article's page",
                    self.feed.full_text,
                    id="set-full_text",
                    compact=True,
                )
            yield Static("", id="settings-error", markup=False)
            with Horizontal(id="settings-buttons"):
                yield Button("Save", id="save", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
            yield Static("ctrl+s or enter saves · escape cancels", id="settings-help", markup=False)

    def on_mount(self) -> None:
        self.query_one("#set-topics", Input).focus()

    def changed_feed(self) -> Feed:
        """The feed with what the form says; :class:`PolicyError` for a bad number."""
        table: dict[str, Any] = {}
        for key in NUMBERS:
            text = self.query_one(f"#set-{key}", Input).value.strip()
            if text:
                try:
                    table[key] = int(text)
                except ValueError:
                    raise PolicyError(f"{NUMBERS[key][0]} must be a whole number") from None
        choice = self.query_one("#set-prune_unread", Select).value
        if choice != DEFAULT:
            table["prune_unread"] = choice == YES
        values = policy_values(table, "this feed")
        topics = self.query_one("#set-topics", Input).value.split(",")
        return replace(
            self.feed,
            name=line(self.query_one("#set-name", Input).value)[:200],
            topics=clean_topics(topics),
            full_text=self.query_one("#set-full_text", Checkbox).value,
            overrides=tuple((key, values[key]) for key in POLICY_KEYS if key in values),
        )

    def action_save(self) -> None:
        """Check the form and close with the feed as changed."""
        try:
            feed = self.changed_feed()
        except PolicyError as exc:
            message = str(exc).replace("this feed: ", "")
            for key, (label, _) in NUMBERS.items():
                message = message.replace(key, label)
            self.query_one("#settings-error", Static).update(message)
            return
        self.dismiss(feed)

    def on_input_submitted(self) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
