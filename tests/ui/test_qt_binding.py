"""Guards against defects of the Qt binding that flaggui has met."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QStringListModel, Signal


class _Emitter(QObject):
    pair = Signal(int, int)


def test_emitting_signals_keeps_reference_counts_intact(qapp: object) -> None:
    """PySide6 6.12.0 drops a reference to True on every signal emitted with
    arguments; on Python 3.11 that aborts the app after a few thousand
    model updates ("bool_dealloc: deallocating True or False")."""
    emitter, model = _Emitter(), QStringListModel(["a", "b"])
    index = model.index(0)
    before = sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(200):
        emitter.pair.emit(1, 2)
        model.dataChanged.emit(index, index, [])
    assert (sys.getrefcount(True), sys.getrefcount(False)) == before
