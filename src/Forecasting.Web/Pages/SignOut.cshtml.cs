using Forecasting.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forecasting.Web.Pages;

[Authorize(Policy = WebPolicies.Commissioner)]
public sealed class SignOutModel(WebSessions sessions) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        // Server-side first: the session's row goes, so the cookie is refused wherever it was copied, also after a restart.
        sessions.End(User);
        await HttpContext.SignOutAsync(WebExtensions.Scheme);
        return LocalRedirect("/signin");
    }
}
