"""The client's retry decision comes from the policy each RPC declares in its proto."""

import grpc
import pytest

import forecasting_client as fc
from forecasting_client import client as client_module
from forecasting_client._generated.forecasting.v1 import (
    analytics_pb2, audit_pb2, data_pb2, forecast_pb2, performance_pb2, planning_pb2, policy_pb2)


def test_every_rpc_declares_a_complete_policy():
    missing = []
    for module in (data_pb2, analytics_pb2, forecast_pb2, planning_pb2, performance_pb2, audit_pb2):
        for service in module.DESCRIPTOR.services_by_name.values():
            for method in service.methods:
                options = method.GetOptions()
                policy = options.Extensions[policy_pb2.policy]
                if (not options.HasExtension(policy_pb2.policy) or policy.role == policy_pb2.ACCESS_ROLE_UNSPECIFIED
                        or policy.audit == policy_pb2.AUDIT_LEVEL_UNSPECIFIED):
                    missing.append(method.full_name)
    assert missing == []


class _Unavailable(grpc.RpcError):
    def code(self):
        return grpc.StatusCode.UNAVAILABLE

    def details(self):
        return "connection refused"


def _attempts(operation: str) -> int:
    calls = []

    def method(request, timeout, metadata):
        calls.append(timeout)
        raise _Unavailable()

    client = fc.Client("http://127.0.0.1:9", "key", timeout=30, retries=3)
    original = client_module.time.sleep
    client_module.time.sleep = lambda s: None  # the backoff is not what is tested
    try:
        with pytest.raises(fc.ForecastingError):
            client._unary(operation, method, None)
    finally:
        client_module.time.sleep = original
        client.close()
    return len(calls)


def test_a_declared_read_is_retried_and_a_write_is_not():
    # GetStatus is declared read: true, Import read: false, in data.proto.
    assert client_module.METHOD_POLICIES["GetStatus"].read
    assert not client_module.METHOD_POLICIES["Import"].read
    assert _attempts("GetStatus") == 3
    assert _attempts("Import") == 1


def test_the_retry_follows_the_declared_option(monkeypatch):
    # Flip the declaration of one method: the client's decision follows it.
    flipped = policy_pb2.MethodPolicy()
    flipped.CopyFrom(client_module.METHOD_POLICIES["GetStatus"])
    flipped.read = False
    monkeypatch.setitem(client_module.METHOD_POLICIES, "GetStatus", flipped)
    assert _attempts("GetStatus") == 1
