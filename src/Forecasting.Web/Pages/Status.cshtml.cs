using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forecasting.Web.Pages;

/// <summary>A plain page for an error status without a body (page not found, bad request).</summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class StatusModel : PageModel
{
    public string Heading { get; private set; } = "";
    public string Text { get; private set; } = "";

    public void OnGet(int code) => Describe(code);

    public void OnPost(int code) => Describe(code);

    private void Describe(int code)
    {
        (Heading, Text) = code switch
        {
            404 => ("Page not found", "There is no such page, or no such council, scenario or result for your key."),
            400 => ("The request could not be used", "The form may have expired. Go back, reload the page and try again."),
            _ => ("The request could not be completed", $"The server answered with status {code}."),
        };
        if (HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is null) Response.StatusCode = code;
    }
}
