using System.Text.Encodings.Web;
using Forecasting.Application.Limits;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Forecasting.Web.Security;

/// <summary>
/// Marks a page whose handlers run heavy work (a scorecard, forecasts, a scenario run, an import, a refresh): each
/// request holds one of the key's heavy-call places while it runs, as the API's heavy calls do.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class HeavyPageAttribute : Attribute;

/// <summary>
/// The API's limits on every page request of a signed-in user, from the same <see cref="KeyAdmission"/>: the key's
/// call rate (shared with its API calls), the length of every form and query value (names and codes
/// <see cref="CallBounds.MaxStringLength"/>, descriptions, reasons and notes <see cref="CallBounds.MaxTextLength"/>),
/// and, on a <see cref="HeavyPageAttribute"/> page, the key's heavy-call places. A request over a limit gets 429 (rate
/// and places) or 400 (length) with a page that names the limit, before the page runs.
/// </summary>
public sealed class WebCallLimitsFilter(KeyAdmission admission) : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var user = WebUser.From(context.HttpContext.User);
        if (user is null)
        {
            await next();
            return;
        }
        try
        {
            admission.CheckRate(user.Name);
        }
        catch (CallRefusedException refused)
        {
            if (refused.RetryAfter is { } wait)
                context.HttpContext.Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Result = Refusal(StatusCodes.Status429TooManyRequests, "Too many requests", refused.Message);
            return;
        }
        if (TooLong(context.HttpContext.Request) is { } problem)
        {
            context.Result = Refusal(StatusCodes.Status400BadRequest, "A value is too long", problem);
            return;
        }
        if (!context.HandlerInstance.GetType().IsDefined(typeof(HeavyPageAttribute), inherit: true))
        {
            await next();
            return;
        }
        IDisposable lease;
        try
        {
            lease = await admission.AcquireHeavyAsync(user.Name, context.HttpContext.RequestAborted);
        }
        catch (CallRefusedException refused)
        {
            context.Result = Refusal(StatusCodes.Status429TooManyRequests, "Too much running at once", refused.Message);
            return;
        }
        using (lease) await next();
    }

    /// <summary>The first query or form value over its field's limit, named as the form names it; null when all fit.</summary>
    private string? TooLong(HttpRequest request)
    {
        var values = request.Query.Select(q => (q.Key, q.Value));
        // Only plain forms: a file upload's body is streamed to the import, never read here.
        if (request.HasFormContentType && request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
            values = values.Concat(request.Form.Select(f => (f.Key, f.Value)));
        foreach (var (key, value) in values)
        {
            // The anti-forgery token is the framework's own, checked by the framework.
            if (key.StartsWith("__", StringComparison.Ordinal)) continue;
            var max = admission.Bounds.MaxLengthOf(FieldName(key));
            foreach (var text in value)
                if (text is not null && text.Length > max)
                    return $"{Shorten(key)}: at most {max} characters (got {text.Length}).";
        }
        return null;
    }

    /// <summary>"Form.Rows[2].Description" is the field "Description".</summary>
    private static string FieldName(string key)
    {
        var name = key[(key.LastIndexOf('.') + 1)..];
        var bracket = name.IndexOf('[');
        return bracket < 0 ? name : name[..bracket];
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "...";

    private static ContentResult Refusal(int status, string title, string message) => new()
    {
        StatusCode = status,
        ContentType = "text/html; charset=utf-8",
        Content = $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{HtmlEncoder.Default.Encode(title)}</title><link rel="stylesheet" href="/site.css"></head>
            <body><main><h1>{HtmlEncoder.Default.Encode(title)}</h1><p>{HtmlEncoder.Default.Encode(message)}</p>
            <p><a href="/">Return to the overview</a>.</p></main></body></html>
            """,
    };
}
