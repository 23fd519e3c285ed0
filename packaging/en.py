"""The window's English plurals, turned into flaggui_en.ts / .qm by
``python packaging/translate.py``.

A tr() string with %n is written in its plural form; Qt picks a form only
from a catalogue, so English has one too, holding just these strings:
(class, text) → (the form for 1, the form for any other number).
"""

PLURALS: dict[tuple[str, str], tuple[str, str]] = {
    ("FlagActions", "Copied %n flags"): ("Copied %n flag", "Copied %n flags"),
    ("FlagActions", "Copied %n paths"): ("Copied %n path", "Copied %n paths"),
    ("FlagActions", "Move %n flag files to the trash?"): (
        "Move %n flag file to the trash?",
        "Move %n flag files to the trash?",
    ),
    ("FlagActions", "Moved %n flag files to the trash"): (
        "Moved %n flag file to the trash",
        "Moved %n flag files to the trash",
    ),
    ("MainWindow", "Downloading %n flags…"): ("Downloading %n flag…", "Downloading %n flags…"),
    ("MainWindow", "%n flags did not arrive last time, from {server}."): (
        "%n flag did not arrive last time, from {server}.",
        "%n flags did not arrive last time, from {server}.",
    ),
    ("MainWindow", "%n flags did not arrive last time."): (
        "%n flag did not arrive last time.",
        "%n flags did not arrive last time.",
    ),
    ("CompareDialog", "Downloading %n flags one at a time, then {limit} at a time…"): (
        "Downloading %n flag twice: one at a time, then {limit} at a time…",
        "Downloading %n flags one at a time, then {limit} at a time…",
    ),
    (
        "CompareDialog",
        "%n flags: {sequential:.2f} s one at a time, {concurrent:.2f} s concurrently — {speedup:.1f}× faster",
    ): (
        "%n flag: {sequential:.2f} s one at a time, {concurrent:.2f} s concurrently — {speedup:.1f}× faster",
        "%n flags: {sequential:.2f} s one at a time, {concurrent:.2f} s concurrently — {speedup:.1f}× faster",
    ),
    (
        "CompareDialog",
        "One at a time, each request waits for the one before it: %n × {each:.2f} s.",
    ): (
        "On its own, the one request takes {each:.2f} s.",
        "One at a time, each request waits for the one before it: %n × {each:.2f} s.",
    ),
    (
        "CompareDialog",
        "Concurrently, all %n wait together: about as long as the slowest one ({slowest:.2f} s).",
    ): (
        "Concurrently, it takes just as long ({slowest:.2f} s): there is nothing to overlap.",
        "Concurrently, all %n wait together: about as long as the slowest one ({slowest:.2f} s).",
    ),
    # The same words for one and for more; a catalogue entry all the same.
    ("BatchProgressBar", "%n saved"): ("%n saved", "%n saved"),
    ("BatchProgressBar", "%n already saved"): ("%n already saved", "%n already saved"),
    ("BatchProgressBar", "%n not found"): ("%n not found", "%n not found"),
    ("BatchProgressBar", "%n failed"): ("%n failed", "%n failed"),
    ("BatchProgressBar", "%n cancelled"): ("%n cancelled", "%n cancelled"),
    ("BatchProgressBar", "%n of {total} saved"): ("%n of {total} saved", "%n of {total} saved"),
    ("BatchProgressBar", "about %n s left"): ("about %n s left", "about %n s left"),
    ("BatchProgressBar", "about %n min left"): ("about %n min left", "about %n min left"),
}
