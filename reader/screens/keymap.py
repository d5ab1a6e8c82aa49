"""``[keys]`` in force: the remaps checked against the real bindings, then given to Textual.

Every remappable binding has an ``id``, the action name users write in
``[keys]`` and read in help; Textual's keymap (``App.set_keymap``) puts the
new keys in place of the defaults in every binding chain, so the footer
follows by itself. Here a remap is checked first: a known action, real key
names, and no key that another action already has on a screen where both
act. A wrong entry is left out with a :class:`Problem` (the default stays).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING

from textual.binding import Binding, BindingType
from textual.keys import _character_to_key, key_to_character

from reader.config.keys import KeySettings
from reader.config.load import placed
from reader.config.model import LoadedConfig, Problem

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode

MODIFIERS = frozenset({"alt", "ctrl", "hyper", "meta", "shift", "super"})
"""What may come before ``+`` in a key name (Textual sorts them by name)."""

NAMED_KEYS = frozenset(
    {"enter", "escape", "tab", "backspace", "delete", "insert", "space"}
    | {"up", "down", "left", "right", "home", "end", "pageup", "pagedown"}
    | {f"f{number}" for number in range(1, 25)}
    | {_character_to_key(chr(code)) for code in range(33, 127)}
)
"""Keys with a name: the keyboard's own and each printable ASCII character's
(``question_mark``, ``slash``, ``comma``...)."""


TEXTUAL_KEYS = {"ctrl+q": "quits", "ctrl+c": "copies"}
"""Keys Textual keeps for itself in every screen (``ctrl+q`` acts before any other binding)."""


def normalize_key(name: str) -> str | None:
    """The key Textual reports for ``name`` ("?" -> "question_mark"), or None if it is none.

    Modifiers are lower case and in Textual's order; a letter keeps its case
    ("M" and "shift+m" are both "M", as Textual reports that key).
    """
    text = name.strip()
    if text == "+" or text.endswith("++"):  # "ctrl++" names the plus key
        prefix = text[:-2]
        modifiers, key = (prefix.split("+") if prefix else []), "+"
    else:
        *modifiers, key = text.split("+")
    modifiers = [modifier.lower() for modifier in modifiers]
    if any(modifier not in MODIFIERS for modifier in modifiers):
        return None
    if len(set(modifiers)) != len(modifiers):
        return None
    if len(key) == 1:
        if not key.isprintable() or key.isspace():
            return None
        if modifiers == ["shift"] and key.isalpha():  # shift+m arrives as "M"
            modifiers, key = [], key.upper()
        elif "ctrl" in modifiers:  # ctrl+S arrives as ctrl+s
            key = key.lower()
        key = _character_to_key(key)
    elif key.lower() in NAMED_KEYS:
        key = key.lower()
    else:
        character = key_to_character(key.lower())
        if character is None or _character_to_key(character) != key.lower():
            return None
        key = key.lower()
    return "+".join([*sorted(modifiers), key])


@dataclass(frozen=True)
class Place:
    """A screen, with the bindings that act there (the app's, the screen's, its widgets')."""

    name: str
    """How problems name it: "main screen", "reader view", "feeds screen"."""
    bindings: tuple[Iterable[BindingType], ...]


def places() -> tuple[Place, ...]:
    """Every screen whose keys can be remapped, from the key tables (no screen is loaded)."""
    from reader.screens.key_tables import APP_KEYS, FEEDS_KEYS, READER_KEYS, RELATED_KEYS
    from reader.screens.main_keys import MAIN_KEYS
    from reader.widgets.article_list import ArticleList

    return (
        Place("main screen", (APP_KEYS, MAIN_KEYS, ArticleList.BINDINGS, RELATED_KEYS)),
        Place("reader view", (APP_KEYS, READER_KEYS)),
        Place("feeds screen", (APP_KEYS, FEEDS_KEYS)),
    )


def default_keys(place: Place) -> dict[str, tuple[str, ...]]:
    """Action name -> its default keys at ``place``."""
    keys: dict[str, list[str]] = {}
    for bindings in place.bindings:
        for binding in Binding.make_bindings(bindings):
            if binding.id:
                keys.setdefault(binding.id, []).append(binding.key)
    return {action: tuple(dict.fromkeys(found)) for action, found in keys.items()}


@cache
def _default_tables() -> list[tuple[Place, dict[str, tuple[str, ...]]]]:
    return [(place, default_keys(place)) for place in places()]


@dataclass(frozen=True)
class Keymap:
    """The remaps that can be used, and a problem for each that cannot."""

    keys: Mapping[str, tuple[str, ...]]
    """Action name -> its keys, normalized as Textual reports them."""
    problems: tuple[Problem, ...]

    def textual(self) -> dict[str, str]:
        """The form :meth:`App.set_keymap` takes."""
        return {action: ",".join(keys) for action, keys in self.keys.items()}


def check_keys(settings: KeySettings, where: Iterable[Place] | None = None) -> Keymap:
    """``settings``' remaps, checked: known actions, real keys, one action per key."""
    defaults = _default_tables() if where is None else [(p, default_keys(p)) for p in where]
    known = sorted({action for _, table in defaults for action in table})
    problems: list[Problem] = []
    keys: dict[str, tuple[str, ...]] = {}
    for action, names in settings.remaps.items():
        path = ("keys", action)
        if action not in known:
            problems.append(Problem(path, _unknown(action, known)))
            continue
        normalized = [(name, normalize_key(name)) for name in names]
        bad = [name for name, key in normalized if key is None]
        if bad:
            problems.append(Problem(path, _bad_key(bad[0])))
            continue
        taken = [key for _, key in normalized if key in TEXTUAL_KEYS]
        if taken:
            problems.append(Problem(path, f'"{taken[0]}" {TEXTUAL_KEYS[taken[0]]} everywhere'))
            continue
        keys[action] = tuple(dict.fromkeys(key for _, key in normalized if key))
    while clashes := _clashes(keys, defaults):
        for action, message in clashes.items():
            problems.append(Problem(("keys", action), message))
            del keys[action]
    order = {action: index for index, action in enumerate(settings.remaps)}
    problems.sort(key=lambda problem: order[str(problem.path[1])])  # file order
    return Keymap(keys, tuple(problems))


def _clashes(
    keys: Mapping[str, tuple[str, ...]],
    defaults: list[tuple[Place, dict[str, tuple[str, ...]]]],
) -> dict[str, str]:
    """Remapped action -> why one of its keys is another action's on some screen.

    Keys the defaults already share (``q`` quits, and closes the reader view)
    are no clash: the screen's own binding wins there, as it always did.
    """
    clashes: dict[str, str] = {}
    for place, table in defaults:
        owners: dict[str, list[str]] = {}
        for action, default in table.items():
            for key in keys.get(action, default):
                owners.setdefault(key, []).append(action)
        for key, actions in owners.items():
            for action in actions:
                if action not in keys or action in clashes:
                    continue
                for other in actions:
                    if other != action and not (key in table[action] and key in table[other]):
                        clashes[action] = f'"{key}" is also the key of {other} on the {place.name}'
                        break
    return clashes


def _unknown(action: str, known: list[str]) -> str:
    import difflib  # only for a misspelt action

    close = difflib.get_close_matches(action, known, n=1)
    hint = f'; did you mean "{close[0]}"?' if close else "; press ? in the reader to see them"
    return f'"{action}" is not an action{hint}'


def _bad_key(name: str) -> str:
    return (
        f'"{name}" is not a key name (such as "s", "S", "ctrl+s", "enter", "f5", "question_mark")'
    )


def key_problems(settings: KeySettings) -> tuple[Problem, ...]:
    """What ``newsreader config --check`` reports for ``[keys]`` beyond its shape."""
    if not settings.remaps:
        return ()
    return check_keys(settings).problems


def apply_keys(app: App, settings: KeySettings) -> tuple[Problem, ...]:
    """Put ``settings``' usable remaps in force in ``app``; the problems with the others."""
    if not settings.remaps:
        return ()
    keymap = check_keys(settings)
    app.set_keymap(keymap.textual())
    palette = keymap.keys.get("command_palette")
    if palette:  # the footer looks the palette key up by this name
        app.COMMAND_PALETTE_BINDING = palette[0]  # type: ignore[misc]
    return keymap.problems


def keys_in_force(node: DOMNode, binding: Binding) -> tuple[str, ...]:
    """The keys that run ``binding`` now: the remapped ones, or its own."""
    remapped = node.app._keymap.get(binding.id) if binding.id else None
    return tuple((remapped or binding.key).split(","))


def shown_key(node: DOMNode, binding: Binding) -> str:
    """How the first key in force for ``binding`` is shown ("?" for question_mark)."""
    return node.app.get_key_display(Binding(keys_in_force(node, binding)[0], ""))


def bindings_in_force(node: DOMNode) -> Iterable[tuple[str, Binding]]:
    """``node``'s (key, binding) pairs with the keymap applied, as a key press sees them."""
    bindings = node._bindings.copy()
    if node.app._keymap:
        bindings.apply_keymap(node.app._keymap)
    return bindings


def with_problems(loaded: LoadedConfig, problems: tuple[Problem, ...]) -> LoadedConfig:
    """``loaded`` with ``problems`` added to its own, with their lines (so start-up names them
    with the rest)."""
    if not problems:
        return loaded
    return replace(loaded, problems=placed([*loaded.problems, *problems], loaded.text))
