"""How many app kernels ``serve`` keeps preheated: the default from the memory, and ``--kernels`` checked."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from diagnostics.app import kernel_pool, serve
from diagnostics.app.kernel_pool import KERNEL_MIB, MOST_DEFAULT_KERNELS, check_kernels, default_kernels, kernel_pools
from diagnostics.cli import app as cli
from diagnostics.exceptions import InvalidParameter


def test_the_default_pool_fills_half_the_available_memory_within_one_and_the_most():
    assert default_kernels(available=2 * KERNEL_MIB * 2) == 2
    assert default_kernels(available=2 * KERNEL_MIB * 2 - 1) == 1
    assert default_kernels(available=100 * KERNEL_MIB) == MOST_DEFAULT_KERNELS
    assert default_kernels(available=KERNEL_MIB // 2) == 1


def test_the_default_reads_the_machines_available_memory(monkeypatch):
    monkeypatch.setattr(kernel_pool, "available_mib", lambda: 3 * 2 * KERNEL_MIB)
    assert default_kernels() == 3


@pytest.mark.parametrize("kernels", [-1, 1.5, "4", True, None])
def test_a_kernels_value_that_is_not_a_whole_number_from_0_is_refused(kernels):
    with pytest.raises(InvalidParameter, match=rf"The 'kernels' parameter of serve must be a whole number from 0 \(0: no preheated kernels\); got {kernels!r}\."):
        check_kernels(kernels, available=100_000)


def test_more_kernels_than_the_memory_holds_are_refused_saying_how_many_fit():
    with pytest.raises(InvalidParameter, match=rf"must be a number of kernels this machine's memory can hold: each preheated kernel "
                       rf"takes about {KERNEL_MIB} MiB and {3 * KERNEL_MIB + 10} MiB is available, so at most 3; got 4\. Ask for fewer with --kernels"):
        check_kernels(4, available=3 * KERNEL_MIB + 10)
    assert check_kernels(3, available=3 * KERNEL_MIB + 10) == 3
    assert check_kernels(0, available=0) == 0


def test_voila_keeps_the_pool_for_the_app_only_and_refills_it_after_a_delay():
    command = serve.voila_command(kernels=3)
    pools = json.loads(next(a for a in command if a.startswith("--VoilaKernelManager.kernel_pools_config=")).split("=", 1)[1])
    assert pools == {"default": {"pool_size": 0}, "app.ipynb": {"pool_size": 3}}
    assert "--preheat_kernel=True" in command
    assert f"--VoilaKernelManager.fill_delay={kernel_pool.REFILL_DELAY_SECONDS}" in command
    assert "--preheat_kernel=False" in serve.voila_command(kernels=0)
    assert json.loads(kernel_pools("app.ipynb", 0)) == {"default": {"pool_size": 0}, "app.ipynb": {"pool_size": 0}}


def test_voila_command_refuses_a_bad_number_of_kernels():
    with pytest.raises(InvalidParameter, match=r"The 'kernels' parameter of serve must be a whole number from 0"):
        serve.voila_command(kernels=-2)


@pytest.mark.parametrize(("value", "message"), [
    ("-1", "must be a whole number from 0"),
    ("100000", "must be a number of kernels this machine's memory can hold"),
])
def test_the_command_refuses_a_bad_kernels_value_before_saying_it_serves(value, message):
    result = CliRunner().invoke(cli, ["serve", "--kernels", value])
    assert result.exit_code == 2, result.output
    assert "Serving" not in result.output
    assert message in result.output


def test_the_command_refuses_a_kernels_value_that_is_not_a_number():
    result = CliRunner().invoke(cli, ["serve", "--kernels", "many"])
    assert result.exit_code == 2 and "Serving" not in result.output
