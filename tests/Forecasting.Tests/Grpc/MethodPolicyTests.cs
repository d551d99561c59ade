using Forecasting.Contracts.V1;
using Forecasting.Server.Security;
using Forecasting.TestSupport;
using Forecasting.Tests.Support;
using Forecasting.Web.Dashboard;
using Grpc.Core;
using Google.Protobuf.Reflection;
using static Forecasting.TestSupport.SampleServerFactory;

namespace Forecasting.Tests.Grpc;

/// <summary>
/// Each RPC's policy is declared once, as an option on the proto method, and the server acts on it: the expected
/// role, heavy flag and audit level here are read from the proto text, independently of the generated descriptors.
/// </summary>
[Trait("Category", "integration")]
public sealed class MethodPolicyTests(TightLimitsServerFactory factory) : IClassFixture<TightLimitsServerFactory>
{
    [Fact]
    public void Every_method_of_every_service_declares_a_complete_policy()
    {
        var methods = ContractServices.All.SelectMany(s => s.Methods).ToList();
        Assert.Equal(ContractServices.All.Select(s => s.FullName).Order(), MethodPolicies.Services.Select(s => s.FullName).Order());
        var missing = methods.Where(m => m.GetOptions()?.GetExtension(PolicyExtensions.Policy) is not
        { Role: not AccessRole.Unspecified, Audit: not AuditLevel.Unspecified }).Select(MethodPolicies.PathOf);
        Assert.Empty(missing);
        Assert.Empty(AccessPolicy.Undeclared(ContractServices.All));
        Assert.Equal(methods.Count, ProtoPolicyText.All.Count);
    }

    [Fact]
    public void The_server_reads_each_methods_rule_from_its_proto_options()
    {
        foreach (var declared in ProtoPolicyText.All)
        {
            var rule = AccessPolicy.For(declared.Path);
            Assert.NotNull(rule);
            Assert.Equal("ACCESS_ROLE_" + ApiKeyHasher.RoleName(rule.Role).ToUpperInvariant(), declared.Role);
            Assert.Equal(!declared.Read, rule.Writes);
            Assert.Equal(declared.Heavy, rule.Heavy);
            Assert.Equal(declared.Audit == "AUDIT_LEVEL_EVERY_CALL", rule.Audited);
            // A call that stores something is recorded one by one.
            Assert.True(declared.Read || rule.Audited, $"{declared.Path} writes but is not audited");
        }
    }

    [Fact]
    public void The_pages_audit_exactly_the_writes_the_api_audits()
    {
        var audited = new ProtoAuditedMethods();
        foreach (var method in WebAudit.Methods)
        {
            var declared = Assert.Single(ProtoPolicyText.All, d => d.Path == "/" + method);
            Assert.Equal(declared.Audit == "AUDIT_LEVEL_EVERY_CALL", audited.EveryCall(method));
        }
        Assert.False(audited.EveryCall("forecasting.v1.AnalyticsService/GetFlowSeries"));
    }

    /// <summary>Calls a method with an empty request, whatever its shape: the checks under test run before the service.</summary>
    private static async Task<RpcException?> CallEmpty(CallInvoker invoker, MethodDescriptor method, string key)
    {
        var marshaller = Marshallers.Create<byte[]>(b => b, b => b);
        var type = (method.IsClientStreaming, method.IsServerStreaming) switch
        {
            (true, _) => MethodType.ClientStreaming,
            (_, true) => MethodType.ServerStreaming,
            _ => MethodType.Unary,
        };
        var grpcMethod = new Method<byte[], byte[]>(type, method.Service.FullName, method.Name, marshaller, marshaller);
        var options = new CallOptions(Key(key), DateTime.UtcNow.AddSeconds(30));
        try
        {
            switch (type)
            {
                case MethodType.ClientStreaming:
                    using (var call = invoker.AsyncClientStreamingCall(grpcMethod, null, options))
                    {
                        await call.RequestStream.CompleteAsync();
                        await call.ResponseAsync;
                    }
                    break;
                case MethodType.ServerStreaming:
                    using (var call = invoker.AsyncServerStreamingCall(grpcMethod, null, options, []))
                        while (await call.ResponseStream.MoveNext(CancellationToken.None)) { }
                    break;
                default:
                    await invoker.AsyncUnaryCall(grpcMethod, null, options, []);
                    break;
            }
            return null;
        }
        catch (RpcException e)
        {
            return e;
        }
    }

    [Fact]
    public async Task A_commissioner_is_refused_every_method_declared_for_a_higher_role()
    {
        var invoker = factory.Channel().CreateCallInvoker();
        var higher = ProtoPolicyText.All.Where(d => d.Role != "ACCESS_ROLE_COMMISSIONER").ToList();
        Assert.Contains(higher, d => d.Role == "ACCESS_ROLE_STRATEGY_LEAD");
        Assert.Contains(higher, d => d.Role == "ACCESS_ROLE_ANALYST");
        foreach (var declared in higher)
        {
            var method = MethodPolicies.Services.Single(s => s.Name == declared.Service).FindMethodByName(declared.Method);
            var error = await CallEmpty(invoker, method, CommissionerKey);
            Assert.Equal(StatusCode.PermissionDenied, error?.StatusCode);
            Assert.Equal($"{declared.Path} needs the {declared.Role["ACCESS_ROLE_".Length..].ToLowerInvariant()} role; this key has commissioner",
                error!.Status.Detail);
        }
    }

    [Fact]
    public async Task While_a_key_holds_its_one_heavy_place_every_method_declared_heavy_is_refused()
    {
        var planning = new PlanningService.PlanningServiceClient(factory.Channel());
        using var cancel = new CancellationTokenSource();
        using var run = planning.RunScenario(new RunScenarioRequest { CouncilCode = "E06009999", Draws = 100_000, Seed = 5 },
            Key(AnalystKey), cancellationToken: cancel.Token);
        Assert.True(await run.ResponseStream.MoveNext(CancellationToken.None));
        var invoker = factory.Channel().CreateCallInvoker();
        var heavy = ProtoPolicyText.All.Where(d => d.Heavy).ToList();
        Assert.InRange(heavy.Count, 5, 20);
        foreach (var declared in heavy)
        {
            var method = MethodPolicies.Services.Single(s => s.Name == declared.Service).FindMethodByName(declared.Method);
            var error = await CallEmpty(invoker, method, AnalystKey);
            Assert.True(error?.StatusCode == StatusCode.ResourceExhausted, $"{declared.Path}: {error?.StatusCode} {error?.Status.Detail}");
            Assert.StartsWith("concurrency limit", error!.Status.Detail);
        }
        // A read declared light goes on.
        Assert.Null(await CallEmpty(invoker, ListMetricsMethod, AnalystKey));
        await cancel.CancelAsync();
    }

    private static MethodDescriptor ListMetricsMethod => AnalyticsService.Descriptor.FindMethodByName("ListMetrics");
}
