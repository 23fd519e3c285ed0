"""The country picker's model: the 194 countries, checkable, searchable."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QPixmap

from flaggui.core.countries import FLAG_CODES, POP20
from flaggui.ui.i18n import name_of, search_text

_Index = QModelIndex | QPersistentModelIndex


# Asked for each row at each repaint: combined once (an enum's | is Python).
_ROW_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled
    | Qt.ItemFlag.ItemIsSelectable
    | Qt.ItemFlag.ItemIsUserCheckable
    | Qt.ItemFlag.ItemNeverHasChildren
)


class CountryRoles(enum.IntEnum):
    CODE = Qt.ItemDataRole.UserRole + 1
    NAME = enum.auto()
    SEARCH = enum.auto()  # "CN China", what the filter matches


class CountryListModel(QAbstractListModel):
    """One checkable row per country of the flag set, in code order.

    Signals: ``selectionChanged()`` after any change of the checked set.
    """

    selectionChanged = Signal()

    def __init__(
        self,
        parent: QObject | None = None,
        codes: Iterable[str] = FLAG_CODES,
        icon_size: QSize = QSize(24, 16),  # noqa: B008
    ) -> None:
        super().__init__(parent)
        # Rows without a flag yet get a blank icon, so all names line up.
        self._blank = QPixmap(icon_size)
        self._blank.fill(Qt.GlobalColor.transparent)
        self._codes = list(codes)
        self._names = [name_of(code) for code in self._codes]
        self._search = [
            search_text(code, name) for code, name in zip(self._codes, self._names, strict=True)
        ]
        self._rows = {code: row for row, code in enumerate(self._codes)}
        self._checked: set[str] = set()
        # Gives the small flag of a country once it is saved (or None).
        self.icon_provider: Callable[[str], QPixmap | None] | None = None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._codes)

    def roleNames(self) -> dict[int, QByteArray]:
        names = {int(role): QByteArray(role.name.lower().encode()) for role in CountryRoles}
        return {**super().roleNames(), **names}

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._codes):
            return None
        code, name = self._codes[index.row()], self._names[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{code}  {name}"
        if role == Qt.ItemDataRole.CheckStateRole:
            checked = code in self._checked
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DecorationRole:
            icon = self.icon_provider(code) if self.icon_provider else None
            return icon or self._blank
        if role == Qt.ItemDataRole.ToolTipRole:
            return name
        if role == CountryRoles.CODE:
            return code
        if role == CountryRoles.NAME:
            return name
        if role == CountryRoles.SEARCH:
            return self._search[index.row()]
        return None

    def setData(self, index: _Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        code = self._codes[index.row()]
        checked = Qt.CheckState(value) == Qt.CheckState.Checked
        if checked == (code in self._checked):
            return True
        (self._checked.add if checked else self._checked.discard)(code)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.selectionChanged.emit()
        return True

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _ROW_FLAGS

    # Selection ------------------------------------------------------------
    def checked_codes(self) -> list[str]:
        return [code for code in self._codes if code in self._checked]

    def set_checked(self, codes: Iterable[str]) -> None:
        wanted = {c for c in codes if c in self._rows}
        if wanted == self._checked:
            return
        changed = wanted ^ self._checked
        self._checked = wanted
        self._rows_changed(changed, Qt.ItemDataRole.CheckStateRole)
        self.selectionChanged.emit()

    def _rows_changed(self, codes: Iterable[str], role: Qt.ItemDataRole) -> None:
        """One dataChanged per run of adjacent rows of *codes*, none for the
        unchanged rows between them (a view repaints what they span)."""
        rows = sorted({self._rows[c] for c in codes if c in self._rows})
        start = 0
        for end in range(1, len(rows) + 1):
            if end == len(rows) or rows[end] != rows[end - 1] + 1:
                first, last = self.index(rows[start]), self.index(rows[end - 1])
                self.dataChanged.emit(first, last, [role])
                start = end

    def check_pop20(self) -> None:
        self.set_checked(POP20)

    def check_all(self) -> None:
        self.set_checked(self._codes)

    def check_none(self) -> None:
        self.set_checked(())

    def invert(self) -> None:
        self.set_checked(set(self._codes) - self._checked)

    def total(self) -> int:
        return len(self._codes)

    # Icons ----------------------------------------------------------------
    def refresh_icon(self, code: str) -> None:
        self._rows_changed((code,), Qt.ItemDataRole.DecorationRole)

    def refresh_icons(self, codes: Iterable[str] | None = None) -> None:
        """The icons of *codes* (all if None) may have changed."""
        if codes is not None:
            self._rows_changed(codes, Qt.ItemDataRole.DecorationRole)
        elif self._codes:
            last = self.index(len(self._codes) - 1)
            self.dataChanged.emit(self.index(0), last, [Qt.ItemDataRole.DecorationRole])


class CountryFilterModel(QSortFilterProxyModel):
    """Matches what the user types against code and name, ignoring case."""

    def __init__(self, source: CountryListModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self.setFilterRole(CountryRoles.SEARCH)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
