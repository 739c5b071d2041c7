"""`solve robustness --scheduler`: the same chunks on a Dask cluster (a LocalCluster with two
workers on the loopback) give the same answer as a local run with the same seed."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from solver.cli import main

distributed = pytest.importorskip("distributed", reason="Dask tests need distributed (pip install -e '.[uncertainty]')")

ARGS = ["robustness", "games/tech_transfer.yaml", "--dist", "ammo_gain=uniform(0,10)", "--dist",
        "china_squeeze=triangular(2,6,9)", "--dist", "deter_cost=normal(3,1,0,10)", "--correlate",
        "ammo_gain,deter_cost=0.4", "--samples", "140000", "--seed", "3", "--format", "json"]


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, silence_logs=40) as local:
        yield local


def answer(*extra, env=None) -> dict:
    result = CliRunner().invoke(main, [*ARGS, *extra], env=env)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    data.pop("elapsed_seconds")
    remote = any(e == "--scheduler" for e in extra) or bool(env)
    assert data.pop("run_on").startswith("Dask cluster at tcp://127.0.0.1:" if remote else "1 local" if "1" in extra else "2 local")
    return data


def test_a_local_cluster_gives_the_local_answer(cluster):
    local = answer("--workers", "1", "--sobol-samples", "512")
    remote = answer("--scheduler", cluster.scheduler_address, "--sobol-samples", "512")
    assert remote == local
    assert sum(o["count"] for o in remote["outcomes"]) == 140_000


def test_the_scheduler_address_can_come_from_the_environment(cluster):
    local = answer("--workers", "2", "--sobol-samples", "0", "--no-thresholds")
    remote = answer("--sobol-samples", "0", "--no-thresholds", env={"DASK_SCHEDULER_ADDRESS": cluster.scheduler_address})
    assert remote == local


def test_an_unreachable_scheduler_is_a_one_line_error():
    result = CliRunner().invoke(main, [*ARGS, "--samples", "10", "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "cannot reach the Dask scheduler" in lines[0]
