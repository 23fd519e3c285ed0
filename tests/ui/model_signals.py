"""What a list model tells its views, recorded, for exact assertions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex
from PySide6.QtTest import QAbstractItemModelTester

# ("inserted", first, last), ("removed", first, last),
# ("changed", top, bottom, (role, ...)) with the roles as sorted ints,
# ("reset",), ("layout",)
Signal = tuple[object, ...]


def attach_tester(model: QAbstractItemModel) -> QAbstractItemModelTester:
    """Qt's own consistency checks, after every change; a failure aborts."""
    return QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)


def changed(top: int, bottom: int, roles: Iterable[int]) -> Signal:
    """The record of ``dataChanged(top, bottom, roles)``."""
    return ("changed", top, bottom, tuple(sorted(int(role) for role in roles)))


class Recorder:
    """Every structural and data signal of a flat model, in order."""

    def __init__(self, model: QAbstractItemModel) -> None:
        self.signals: list[Signal] = []
        model.rowsInserted.connect(self._inserted)
        model.rowsRemoved.connect(self._removed)
        model.dataChanged.connect(self._changed)
        model.modelReset.connect(lambda: self.signals.append(("reset",)))
        model.layoutChanged.connect(lambda *_: self.signals.append(("layout",)))
        model.rowsMoved.connect(lambda *_: self.signals.append(("moved",)))

    def _inserted(self, _parent: QModelIndex, first: int, last: int) -> None:
        self.signals.append(("inserted", first, last))

    def _removed(self, _parent: QModelIndex, first: int, last: int) -> None:
        self.signals.append(("removed", first, last))

    def _changed(
        self,
        top: QModelIndex | QPersistentModelIndex,
        bottom: QModelIndex | QPersistentModelIndex,
        roles: Sequence[int],
    ) -> None:
        self.signals.append(changed(top.row(), bottom.row(), roles))

    def take(self) -> list[Signal]:
        """The signals since the last call."""
        taken, self.signals = self.signals, []
        return taken
