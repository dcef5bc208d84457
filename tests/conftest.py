"""In `make test` (and so in CI) a skipped test is a failure: a test that skips itself when its input is missing
(no chromium, no models, no book) must not pass in silence. Set MPOX_ALLOW_SKIPS=1 to allow skips locally."""
import os

_skipped = []


def pytest_runtest_logreport(report):
    if report.skipped: _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if _skipped and os.environ.get('MPOX_NO_SKIPS') and not os.environ.get('MPOX_ALLOW_SKIPS'):
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _skipped and os.environ.get('MPOX_NO_SKIPS') and not os.environ.get('MPOX_ALLOW_SKIPS'):
        terminalreporter.write_line(f'FAILED: {len(_skipped)} test(s) skipped, and a skip counts as a failure here: '
                                    + ', '.join(_skipped), red=True)
