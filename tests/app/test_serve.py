"""``place-diagnostic serve``: the port it is given, and stopping it stops everything it started."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from typer.testing import CliRunner

from diagnostics.app import serve
from diagnostics.cli import app as cli
from diagnostics.exceptions import InvalidParameter


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def busy_port():
    """A loopback port another program listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield s.getsockname()[1]


def _port_is_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def test_the_server_finds_this_installations_template_even_beside_another_checkout(tmp_path, monkeypatch):

    other = tmp_path / "other-checkout" / "templates"
    (other / "voila" / serve.TEMPLATE_NAME).mkdir(parents=True)
    monkeypatch.setattr(serve, "templates_dir", lambda: other)
    theirs = serve._template_root()
    monkeypatch.undo()
    ours = Path(serve.voila_environment()["JUPYTER_PATH"].split(os.pathsep)[0])
    assert ours != theirs
    linked = ours / "voila" / "templates" / serve.TEMPLATE_NAME
    assert linked.resolve() == (serve.templates_dir() / "voila" / serve.TEMPLATE_NAME).resolve()
    assert (theirs / "voila" / "templates" / serve.TEMPLATE_NAME).resolve() == (other / "voila" / serve.TEMPLATE_NAME).resolve()


def test_a_busy_port_is_refused_naming_the_port_and_the_fix(busy_port):
    with pytest.raises(InvalidParameter, match=rf"The 'port' parameter of serve must be a free port; got {busy_port}, "
                       r"which another program is listening on at 127\.0\.0\.1\. Choose another with --port"):
        serve.check_port_free("127.0.0.1", busy_port)


def test_a_free_port_passes_the_check():
    serve.check_port_free("127.0.0.1", _free_port())


def test_a_host_that_is_not_this_machine_is_refused():
    with pytest.raises(InvalidParameter, match=r"The 'host' parameter of serve must be an address of this machine; got '192\.0\.2\.1'"):
        serve.check_port_free("192.0.2.1", _free_port())


def test_voila_never_moves_to_another_port():
    assert "--Voila.port_retries=0" in serve.voila_command()


@pytest.mark.parametrize("port", ["0", "-1", "99999"])
def test_the_command_refuses_a_bad_port_before_saying_it_serves(port):
    result = CliRunner().invoke(cli, ["serve", "--port", port])
    assert result.exit_code == 2, result.output
    assert "Serving" not in result.output
    assert "The 'port' parameter of serve must be an integer in 1..65535" in result.output


def test_the_command_refuses_a_busy_port_before_saying_it_serves(busy_port):
    result = CliRunner().invoke(cli, ["serve", "--port", str(busy_port)])
    assert result.exit_code == 2, result.output
    assert "Serving" not in result.output
    assert f"got {busy_port}, which another program is listening on" in result.output


def _fake_voila(port: int, on_sigterm: str, then: str = "while True: time.sleep(0.1)") -> list[str]:
    """A stand-in for Voilà that listens on ``port``, runs ``on_sigterm`` when stopped, then ``then``."""
    script = (
        "import signal, socket, sys, time\n"
        "s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
        f"s.bind(('127.0.0.1', {port})); s.listen()\n"
        f"signal.signal(signal.SIGTERM, lambda *a: {on_sigterm})\n"
        f"{then}\n"
    )
    return [sys.executable, "-c", script]


def test_a_stop_is_clean_even_when_voila_fails_while_shutting_its_kernels_down(monkeypatch):
    # Voilà 0.5 exits with 1 when stopped while a pool's kernel is still starting
    port = _free_port()
    monkeypatch.setattr(serve, "voila_command", lambda host, port_, kernels: _fake_voila(port, "sys.exit(1)"))
    status = serve.serve("127.0.0.1", port, kernels=0, on_ready=lambda address, kernels: os.kill(os.getpid(), signal.SIGTERM))
    assert status == 0


def test_voila_failing_by_itself_gives_its_status(monkeypatch):
    port = _free_port()
    monkeypatch.setattr(serve, "voila_command", lambda host, port_, kernels: _fake_voila(port, "None", "time.sleep(1); sys.exit(3)"))
    assert serve.serve("127.0.0.1", port, kernels=0) == 3


def _kernels_of(process: psutil.Process) -> list[psutil.Process]:
    found = []
    for child in process.children(recursive=True):
        try:
            if "ipykernel_launcher" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.NoSuchProcess:
            pass
    return found


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP])
def test_a_stop_signal_to_serve_stops_voila_and_its_kernels_and_frees_the_port(default_store, stop):
    port = _free_port()
    command = [sys.executable, "-c", "from diagnostics.cli import main; main()", "serve", "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
                               env=os.environ.copy())
    started = psutil.Process(process.pid)
    everything: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + 120
        kernels: list[psutil.Process] = []
        while time.monotonic() < deadline and process.poll() is None:
            kernels = _kernels_of(started)
            if kernels and not _port_is_free(port):
                break
            time.sleep(0.3)
        assert kernels, "the preheated kernel never started"
        everything = started.children(recursive=True)
        os.kill(process.pid, stop)  # serve alone, as a service manager or a closed terminal does
        output, _ = process.communicate(timeout=60)
        assert f"Serving the place diagnostic app at http://127.0.0.1:{port}/" in output.decode()
        gone, alive = psutil.wait_procs(everything, timeout=10)
        assert alive == [], [p.cmdline() for p in alive]
        assert _port_is_free(port)
        assert process.returncode == 0
    finally:
        for leftover in [started, *everything]:
            try:
                leftover.kill()
            except psutil.NoSuchProcess:
                pass
