using Forecasting.Web.Dashboard;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.DependencyInjection;

namespace Forecasting.Web.Security;

/// <summary>
/// Lets a page's form carry as many bytes as the API's Upload accepts (the host's limit), instead of the server's
/// default request size. Runs before the anti-forgery check, which reads the form.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class UploadBodyLimitAttribute : Attribute, IAuthorizationFilter, IOrderedFilter
{
    /// <summary>Room for the form's other fields and the multipart boundaries.</summary>
    private const long FormOverhead = 1024 * 1024;

    public int Order => -2000;

    public void OnAuthorization(AuthorizationFilterContext context)
    {
        var limit = context.HttpContext.RequestServices.GetRequiredService<WebUploadLimits>().MaxUploadBytes + FormOverhead;
        if (context.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limit;
        var request = context.HttpContext.Request;
        if (request.HasFormContentType && context.HttpContext.Features.Get<IFormFeature>()?.Form is null)
            context.HttpContext.Features.Set<IFormFeature>(new FormFeature(request, new FormOptions { MultipartBodyLengthLimit = limit }));
    }
}
