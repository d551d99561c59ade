using Forecasting.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forecasting.Web.Pages;

[AllowAnonymous]
public sealed class SignInModel(IWebKeyVerifier verifier, WebSessions sessions, ILogger<SignInModel> logger) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Key { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = string.IsNullOrWhiteSpace(Key) ? null : verifier.Verify(Key.Trim());
        if (user is null)
        {
            Error = string.IsNullOrWhiteSpace(Key) ? "Enter your API key." : "That key is not recognised. Check it and try again.";
            logger.LogInformation("Web sign-in refused");
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }
        await HttpContext.SignInAsync(WebExtensions.Scheme, sessions.Start(user, WebExtensions.Scheme));
        logger.LogInformation("Web sign-in by {Name} ({Role})", user.Name, WebUser.RoleName(user.Role));
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
