import os
import signal

import pytest

from diagnostics.outputs.stopping import Stopped, stop_signals_raise


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_a_stop_signal_raises_stopped_inside_and_the_handler_is_restored_after(stop):
    before = signal.getsignal(stop)
    with pytest.raises(Stopped) as caught:
        with stop_signals_raise():
            os.kill(os.getpid(), stop)
            for _ in range(1000):  # the handler runs between bytecodes
                pass
    assert isinstance(caught.value, KeyboardInterrupt)
    assert caught.value.exit_status == 128 + stop and str(caught.value) == f"Stopped by {stop.name}"
    assert signal.getsignal(stop) == before


def test_a_second_signal_during_the_clean_up_is_ignored():
    with pytest.raises(Stopped):
        with stop_signals_raise():
            try:
                os.kill(os.getpid(), signal.SIGTERM)
                for _ in range(1000):
                    pass
            finally:
                os.kill(os.getpid(), signal.SIGTERM)  # would end the clean-up if it raised again
                for _ in range(1000):
                    pass
