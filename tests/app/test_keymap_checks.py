"""The Textual-side checks of ``[keys]`` (reader/screens/keymap.py): action names, key names,
two actions on one key. No app runs: ``newsreader config --check`` calls the same functions."""

from __future__ import annotations

import pytest

from reader.config.keys import KeySettings
from reader.screens.keymap import check_keys, default_keys, key_problems, normalize_key, places


def remap(**remaps: str | tuple[str, ...]):
    settings = KeySettings({k: (v,) if isinstance(v, str) else v for k, v in remaps.items()})
    return check_keys(settings)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("s", "s"),
        ("S", "S"),
        ("?", "question_mark"),
        ("question_mark", "question_mark"),
        ("/", "slash"),
        (",", "comma"),
        ("Enter", "enter"),
        ("F5", "f5"),
        ("ctrl+s", "ctrl+s"),
        ("CTRL+S", "ctrl+s"),
        ("shift+m", "M"),
        ("shift+tab", "shift+tab"),
        ("shift+ctrl+up", "ctrl+shift+up"),
        ("alt+x", "alt+x"),
        ("ctrl++", "ctrl+plus"),
        ("é", "é"),
        ("pagedown", "pagedown"),
    ],
)
def test_key_names_are_normalized_as_textual_reports_them(name, key):
    assert normalize_key(name) == key


@pytest.mark.parametrize(
    "name",
    ["enterr", "ctrl+", "hyperctrl+s", "ctrl+ctrl+s", "latin_small_letter_a", "<any>", "f25", "\t"],
)
def test_names_that_are_no_key(name):
    assert normalize_key(name) is None


def test_every_remappable_binding_has_a_name_and_names_are_identifiers():
    for place in places():
        table = default_keys(place)
        assert {"quit", "help", "command_palette"} <= table.keys()
        for action in table:
            assert action.isidentifier(), action
    main = default_keys(places()[0])
    assert main["toggle_star"] == ("f",)
    assert main["pane_left"] == ("h", "left")
    assert main["cursor_down"] == ("down", "j")
    assert default_keys(places()[1])["close"] == ("q", "escape")
    assert default_keys(places()[2])["remove"] == ("d", "delete")


def test_a_good_remap_is_kept_normalized():
    keymap = remap(toggle_star="S", open=("o", "ctrl+o"), help="F1")
    assert keymap.problems == ()
    assert keymap.keys == {"toggle_star": ("S",), "open": ("o", "ctrl+o"), "help": ("f1",)}
    assert keymap.textual() == {"toggle_star": "S", "open": "o,ctrl+o", "help": "f1"}


def test_an_unknown_action_is_a_problem_with_a_suggestion():
    keymap = remap(toggle_starr="S", frobnicate="z")
    assert keymap.keys == {}
    messages = {problem.path: problem.message for problem in keymap.problems}
    assert 'did you mean "toggle_star"' in messages[("keys", "toggle_starr")]
    assert "press ? in the reader" in messages[("keys", "frobnicate")]


def test_an_action_with_arguments_is_known_by_its_help_name_only():
    keymap = remap(**{"pane(-1)": "H", "scroll_detail": "z", "pane_left": "H"})
    assert keymap.keys == {"pane_left": ("H",)}
    assert [problem.path[1] for problem in keymap.problems] == ["pane(-1)", "scroll_detail"]


def test_an_unparseable_key_leaves_the_whole_entry_out():
    keymap = remap(open=("o", "ctrl+bogus+o"), toggle_star="S")
    assert keymap.keys == {"toggle_star": ("S",)}
    (problem,) = keymap.problems
    assert (
        problem.path == ("keys", "open") and '"ctrl+bogus+o" is not a key name' in problem.message
    )


def test_a_remap_onto_another_actions_default_key_is_a_collision():
    keymap = remap(toggle_star="s")
    assert keymap.keys == {}
    (problem,) = keymap.problems
    assert problem.path == ("keys", "toggle_star")
    assert problem.message == '"s" is also the key of toggle_sort on the main screen'


def test_a_remap_onto_a_key_the_other_action_gave_up_is_fine():
    keymap = remap(toggle_star="s", toggle_sort="S")
    assert keymap.problems == () and keymap.keys == {"toggle_star": ("s",), "toggle_sort": ("S",)}


def test_two_remaps_on_one_key_are_both_left_out():
    keymap = remap(toggle_star="z", open="z")
    assert keymap.keys == {}
    assert sorted(problem.path[1] for problem in keymap.problems) == ["open", "toggle_star"]


def test_the_list_keys_and_the_app_keys_count_on_the_main_screen():
    keymap = remap(reverse="j", toggle_read="q")
    messages = {problem.path[1]: problem.message for problem in keymap.problems}
    assert messages == {
        "reverse": '"j" is also the key of cursor_down on the main screen',
        "toggle_read": '"q" is also the key of quit on the main screen',
    }


def test_collisions_are_per_screen():
    # "n" is free on the main screen, but the reader view's next_article on that screen
    # does not meet toggle_star (the main screen's only): no collision
    assert remap(toggle_star="n").problems == ()
    # the reader view's close onto "x": full_text there
    (problem,) = remap(close=("x",)).problems
    assert problem.message == '"x" is also the key of full_text on the reader view'
    # the app's quit onto "a": the feeds screen's add
    (problem,) = remap(quit="a").problems
    assert problem.message == '"a" is also the key of add on the feeds screen'


def test_keys_the_defaults_already_share_are_no_collision():
    # q quits, and closes the reader view (its own key wins there): keeping just "q" is fine
    assert remap(close="q").problems == ()


def test_an_entry_left_out_brings_its_default_back_into_the_check():
    # full_text onto j collides; its default x is then in force and toggle_star's x collides
    keymap = remap(full_text="j", toggle_star="x")
    assert keymap.keys == {}
    assert [problem.path[1] for problem in keymap.problems] == ["full_text", "toggle_star"]
    assert keymap.problems[1].message == '"x" is also the key of full_text on the main screen'


def test_key_problems_is_what_config_check_reports():
    assert key_problems(KeySettings()) == ()
    problems = key_problems(KeySettings({"bogus": ("x",), "open": ("ctrl+bogus",)}))
    assert [problem.path for problem in problems] == [("keys", "bogus"), ("keys", "open")]
    assert all(problem.line is None for problem in problems)  # the line is found centrally


def test_the_keys_textual_keeps_cannot_be_taken():
    (problem,) = remap(toggle_star="ctrl+q").problems
    assert problem.message == '"ctrl+q" quits everywhere'
    (problem,) = remap(copy_link=("y", "ctrl+c")).problems
    assert problem.path == ("keys", "copy_link") and "copies" in problem.message
