"""`coach serve` with an address it cannot use: a port out of range is refused while the
command line is read; a port in use, an unknown or foreign host give one Dutch line naming
host:port (exit 1), never a traceback, and no address is printed before the socket is bound."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT, coach_env, run_coach


def serve(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_coach(home, "serve", *args)


def assert_one_clear_line(result: subprocess.CompletedProcess[str], code: int) -> None:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr and "Error" not in result.stderr, result.stderr
    assert "Netwerkcoach in je browser" not in result.stdout, "no address for a server that is not there"


@pytest.mark.parametrize("port", ["99999", "65536", "-1", "abc", "80a", "٣"])
def test_a_port_out_of_range_is_refused_when_the_command_line_is_read(home: Path, port: str) -> None:
    result = serve(home, "--port", port)
    assert_one_clear_line(result, 2)
    assert (f"coach serve: fout: bij --port: ongeldige poort '{port}': kies een getal van 1 tot en met 65535 "
            "(of 0 voor een vrije poort)") in result.stderr


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


def test_a_port_in_use_is_one_line_naming_host_and_port(home: Path, taken_port: int) -> None:
    result = serve(home, "--port", str(taken_port))
    assert_one_clear_line(result, 1)
    assert result.stderr.splitlines() == [
        f"coach: kan niet luisteren op 127.0.0.1:{taken_port}: die poort is al in gebruik (door een ander programma, "
        "of een andere coach serve); kies een andere met --port, of --port 0 voor een vrije"]
    assert result.stdout == ""


@pytest.mark.parametrize("host", ["256.1.1.1", "1.2.3", "geen-computer.invalid"])
def test_an_unknown_host_is_one_line_naming_it(home: Path, host: str) -> None:
    result = serve(home, "--host", host, "--port", "8765")
    assert_one_clear_line(result, 1)
    assert result.stderr.splitlines() == [
        f"coach: kan niet luisteren op {host}:8765: het adres '{host}' is onbekend (geen geldig IP-adres en geen "
        "naam die te vinden is); laat --host weg voor 127.0.0.1, alleen deze computer"]


def test_an_address_of_another_computer_is_one_line_naming_it(home: Path) -> None:
    nonlocal_bind = Path("/proc/sys/net/ipv4/ip_nonlocal_bind")
    if nonlocal_bind.exists() and nonlocal_bind.read_text().strip() != "0":
        pytest.skip("this system lets a process bind addresses it does not have")
    result = serve(home, "--host", "192.0.2.1", "--port", "8765")  # TEST-NET-1: never this computer's
    assert_one_clear_line(result, 1)
    assert result.stderr.splitlines() == [
        "coach: kan niet luisteren op 192.0.2.1:8765: dat adres hoort niet bij deze computer; laat --host weg "
        "voor 127.0.0.1, alleen deze computer"]


def test_port_0_serves_on_a_free_port_and_prints_it_once_bound(home: Path) -> None:
    process = subprocess.Popen([sys.executable, "-m", "coach", "serve", "--port", "0"], cwd=ROOT,
                               env=coach_env(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.fullmatch(r"Netwerkcoach in je browser: http://127\.0\.0\.1:(\d+)/\?token=\S+\n", line)
        assert match, line
        port = int(match.group(1))
        assert port != 0
        socket.create_connection(("127.0.0.1", port), timeout=5).close()  # at once: it was bound before the line
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0 and "Traceback" not in err


def test_serve_refuses_a_port_out_of_range_when_called_directly() -> None:
    from coach.errors import UsageError
    from coach.serve import serve as serve_app

    with pytest.raises(UsageError, match="poort 70000 bestaat niet"):
        serve_app(port=70000)
