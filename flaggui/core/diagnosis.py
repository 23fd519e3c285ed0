"""One sentence for a batch that failed for one reason.

When most of a batch fails the same way (the server's name does not
resolve, nothing answers on its port, the secure connection fails, every
answer is a 404), the cause lies with the network or the address, not with
each flag: :func:`diagnose` names it once, for the window's banner and the
last lines of ``flaggui get``. Mixed failures get no diagnosis: each flag's
own reason says more.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flaggui.core.events import BatchSummary, Failure, FailureKind, FlagState
from flaggui.core.i18n import N_, _

# The part of the flags that were tried which must share the failure.
SHARED = 0.8
# Causes that lie with the network or the server's address whatever the
# flag: one flag is enough to name them. Others need a few alike.
_HOST_WIDE = frozenset({FailureKind.DNS, FailureKind.CONNECT, FailureKind.TLS})
_FEW_ALIKE = 3
# Causes a server that runs in flaggui itself does not have.
_OFFLINE_HELPS = frozenset(
    {FailureKind.DNS, FailureKind.CONNECT, FailureKind.TLS, FailureKind.TIMEOUT}
)
_TRIED = (FlagState.DONE, FlagState.NOT_FOUND, FlagState.ERROR)

# Each cause in one sentence, with a guess at what is wrong.
_BY_KIND = {
    FailureKind.DNS: N_(
        "Cannot find the server {host}: no network connection, or a mistyped address?"
    ),
    FailureKind.CONNECT: N_(
        "Cannot reach {where}: no network connection, or the server is not running?"
    ),
    FailureKind.TLS: N_(
        "No secure connection to {host}: a proxy or firewall in the way, "
        "or the computer's clock is wrong?"
    ),
    FailureKind.TIMEOUT: N_("{host} did not answer in time: a slow or blocked network?"),
    FailureKind.CONNECTION: N_(
        "The connections to {host} keep breaking: an unreliable network, or an overloaded server?"
    ),
    FailureKind.HTTP_STATUS: N_(
        "{host} answers every request with HTTP {status}: try again later?"
    ),
    FailureKind.INVALID_IMAGE: N_(
        "{host} answers, but not with flags: a Wi-Fi sign-in page, or the wrong source?"
    ),
    FailureKind.BAD_ANSWER: N_(
        "{host} does not answer as a flag server does: is the address right?"
    ),
}
_REFUSED = N_(
    "{host} refuses to hand out the flags (HTTP {status}): a proxy or firewall in the way?"
)
_BY_STATUS = {
    404: N_(
        "{host} has none of these flags (HTTP 404): is the server's address or the source right?"
    ),
    401: _REFUSED,
    403: _REFUSED,
    407: _REFUSED,
}


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """The failure most of a batch shared: ``failed`` of the ``tried`` flags
    (those that neither were in the folder already nor were cancelled
    before an answer) ended with it."""

    failure: Failure
    failed: int
    tried: int

    @property
    def kind(self) -> FailureKind:
        return self.failure.kind

    @property
    def offline_helps(self) -> bool:
        """Whether the cause is one the built-in server, which needs no
        network, does not have."""
        return self.kind in _OFFLINE_HELPS

    @property
    def message(self) -> str:
        """The cause in one sentence, with a guess at what is wrong."""
        failure = self.failure
        host = failure.host or _("the server")
        where = f"{host}:{failure.port}" if failure.port is not None else host
        text = _BY_STATUS.get(failure.status or 0) or _BY_KIND[failure.kind]
        return _(text).format(host=host, where=where, status=failure.status)


def diagnose(summary: BatchSummary) -> Diagnosis | None:
    """The one failure most of *summary*'s tried flags ended with, if there
    is one and it is a cause of the network or the server; else None."""
    tried = [result for result in summary.results if result.state in _TRIED]
    failures = Counter(
        result.failure
        for result in tried
        if result.state is not FlagState.DONE and result.failure is not None
    )
    if not failures:
        return None
    failure, count = failures.most_common(1)[0]
    if failure.kind not in _BY_KIND or count < SHARED * len(tried):
        return None
    if failure.kind not in _HOST_WIDE and count < _FEW_ALIKE:
        return None
    return Diagnosis(failure, count, len(tried))
