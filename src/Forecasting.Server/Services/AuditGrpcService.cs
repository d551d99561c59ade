using System.Globalization;
using Forecasting.Application.Audit;
using Forecasting.Contracts.V1;
using Forecasting.Domain;
using Forecasting.Server.Security;
using Forecasting.Store.Audit;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Forecasting.Server.Services;

/// <summary>The audit trail of writes and counted refusals, for analysts; it has no method that changes an event.</summary>
public sealed class AuditGrpcService(IAuditTrail audit, RefusalTally refusals) : AuditService.AuditServiceBase
{
    public const int MaxEvents = 1000;

    public override Task<ListAuditEventsResponse> ListAuditEvents(ListAuditEventsRequest request, ServerCallContext context)
    {
        if (request.Limit is < 0 or > MaxEvents) throw new InvalidArgumentException("limit", $"must be between 1 and {MaxEvents} (0 = 100)");
        DateTime? since = null;
        if (!string.IsNullOrEmpty(request.Since))
        {
            if (!DateTime.TryParse(request.Since, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
                throw new InvalidArgumentException("since", $"'{request.Since}' is not a date or date-time like 2025-04-01 or 2025-04-01T09:00:00Z");
            since = parsed;
        }
        var caller = Caller.Of(context);
        // Counted refusals not yet written are written first, so a read sees every call up to now.
        refusals.Flush();
        var response = new ListAuditEventsResponse();
        response.Events.AddRange(audit.List(since, ProtoMapping.NullIfEmpty(request.KeyName), ProtoMapping.NullIfEmpty(request.Method),
            request.Limit == 0 ? 100 : request.Limit, caller.Councils, caller.Name).Select(e => new AuditEvent
            {
                EventId = e.EventId,
                At = Timestamp.FromDateTime(e.At),
                KeyName = e.KeyName,
                Role = e.Role,
                Method = e.Method,
                CouncilCode = e.CouncilCode ?? "",
                Target = e.Target ?? "",
                Outcome = e.Outcome,
                Detail = e.Detail ?? "",
                Seconds = e.Seconds,
                CorrelationId = e.CorrelationId,
                Calls = e.Calls,
            }));
        return Task.FromResult(response);
    }
}
