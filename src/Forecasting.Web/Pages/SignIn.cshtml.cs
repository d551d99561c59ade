using Forecasting.Application.Limits;
using Forecasting.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;

namespace Forecasting.Web.Pages;

/// <summary>
/// Sign-in with an API key. Wrong keys are throttled as the API's are (<see cref="AuthenticationThrottle"/>): each is
/// answered after a delay and counted in the audit trail per client address and minute, and repeated failures from one
/// address, or with one key's first characters, lock sign-in out briefly, whatever key is then entered.
/// </summary>
[AllowAnonymous]
public sealed class SignInModel(IWebKeyVerifier verifier, WebSessions sessions, AuthenticationThrottle throttle, ILogger<SignInModel> logger)
    : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Key { get; set; }

    public string? Error { get; private set; }

    /// <summary>Why sign-in with the directory came back without a session ("role": no granted role or council; "failed").</summary>
    [BindProperty(SupportsGet = true)]
    public string? Directory { get; set; }

    /// <summary>Where sign-in with the directory starts, when the host has one configured.</summary>
    public string? DirectoryPath => HttpContext.RequestServices.GetService<WebDirectorySignIn>()?.Path;

    public void OnGet()
    {
        Error = Directory switch
        {
            "role" => "Your organisation account was recognised, but it has no role or council in this service. Ask your IT team to assign you one.",
            "failed" => "Sign-in with your organisation account did not complete. Try again.",
            _ => null,
        };
    }

    /// <summary>The audit trail's name for a sign-in attempt.</summary>
    public const string AuditMethod = "web sign-in";

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var key = Key?.Trim();
        var address = HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown address";
        if (throttle.LockedOutFor(address, key, AuditMethod) is { } wait)
        {
            Error = $"Too many attempts with a wrong key. Wait {Math.Ceiling(wait.TotalSeconds)} seconds, then try again.";
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Page();
        }
        var user = string.IsNullOrEmpty(key) ? null : verifier.Verify(key);
        if (user is null)
        {
            Error = string.IsNullOrEmpty(key) ? "Enter your API key." : "That key is not recognised. Check it and try again.";
            if (!string.IsNullOrEmpty(key)) await throttle.FailedAsync(address, key, AuditMethod, "an unknown key", ct);
            logger.LogInformation("Web sign-in refused");
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }
        await HttpContext.SignInAsync(WebExtensions.Scheme, sessions.Start(user, WebExtensions.Scheme));
        logger.LogInformation("Web sign-in by {Name} ({Role})", user.Name, WebUser.RoleName(user.Role));
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
