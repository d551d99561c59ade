using System.Collections;
using Forecasting.Application.Limits;
using Forecasting.Server.Security;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;

namespace Forecasting.Server.Infrastructure;

/// <summary>
/// Size limits on every request message and the per-key concurrency of heavy calls, applied before a service sees the
/// call (the per-key rate is taken earlier, with authentication, in <see cref="ApiKeyInterceptor"/>). Sizes are
/// checked by walking the message's descriptor, so a field added later is bounded too; heavy calls are those whose
/// proto policy says so; the lengths and the heavy-call places are the <see cref="KeyAdmission"/> the web pages use as well.
/// </summary>
public sealed class CallLimitsInterceptor(IOptions<LimitsOptions> options, KeyAdmission admission) : Interceptor
{
    private readonly LimitsOptions _limits = options.Value;

    private async Task<IDisposable> AdmitAsync(ServerCallContext context)
    {
        if (!AccessPolicy.Heavy(context.Method) || !context.UserState.TryGetValue(Caller.UserStateKey, out var value)) return NoLease.Instance;
        // A refusal (CallRefusedException) becomes RESOURCE_EXHAUSTED in the error mapping around this interceptor.
        return await admission.AcquireHeavyAsync(((Caller)value).Name, context.CancellationToken);
    }

    /// <summary>Throws INVALID_ARGUMENT naming the first field over a size limit.</summary>
    private void CheckSizes(IMessage message, string path = "")
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var name = path + field.Name;
            var value = field.Accessor.GetValue(message);
            if (field.IsMap)
            {
                var map = (IDictionary)value;
                if (map.Count > _limits.MaxListLength) throw TooLarge(name, $"at most {_limits.MaxListLength} entries (got {map.Count})");
                foreach (DictionaryEntry entry in map)
                {
                    CheckString(name + " key", entry.Key as string, _limits.MaxStringLength);
                    if (entry.Value is string s) CheckString($"{name}[{entry.Key}]", s, _limits.MaxStringLength);
                    else if (entry.Value is IMessage m) CheckSizes(m, $"{name}[{entry.Key}].");
                }
            }
            else if (field.IsRepeated)
            {
                var list = (IList)value;
                if (list.Count > _limits.MaxListLength) throw TooLarge(name, $"at most {_limits.MaxListLength} values (got {list.Count})");
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is string s) CheckString($"{name}[{i}]", s, _limits.MaxStringLength);
                    else if (list[i] is IMessage m) CheckSizes(m, $"{name}[{i}].");
                }
            }
            else if (field.FieldType == FieldType.String)
            {
                CheckString(name, value as string, admission.Bounds.MaxLengthOf(field.Name));
            }
            else if (field.FieldType == FieldType.Message && value is IMessage nested)
            {
                CheckSizes(nested, name + ".");
            }
        }
        // Filter values add up across filters: one selector may not ask for more than the limit in all.
        if (message.Descriptor.FindFieldByName("filters") is { IsRepeated: true } filters
            && filters.MessageType?.FindFieldByName("values") is { } valuesField)
        {
            var total = ((IList)filters.Accessor.GetValue(message)).Cast<IMessage>().Sum(f => ((IList)valuesField.Accessor.GetValue(f)).Count);
            if (total > _limits.MaxFilterValues)
                throw TooLarge(path + "filters", $"at most {_limits.MaxFilterValues} filter values in all (got {total})");
        }
    }

    private static void CheckString(string name, string? text, int max)
    {
        if (text is not null && text.Length > max) throw TooLarge(name, $"at most {max} characters (got {text.Length})");
    }

    private static RpcException TooLarge(string field, string limit) =>
        new(new Status(StatusCode.InvalidArgument, $"{field}: {limit}"));

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (request is IMessage message) CheckSizes(message);
        using var lease = await AdmitAsync(context);
        return await continuation(request, context);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var lease = await AdmitAsync(context);
        return await continuation(requestStream, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (request is IMessage message) CheckSizes(message);
        using var lease = await AdmitAsync(context);
        await continuation(request, responseStream, context);
    }

    private sealed class NoLease : IDisposable
    {
        public static readonly NoLease Instance = new();
        public void Dispose() { }
    }
}
