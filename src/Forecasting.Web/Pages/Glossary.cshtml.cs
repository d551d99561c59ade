using Forecasting.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Forecasting.Web.Pages;

/// <summary>The words the pages and the report use, in plain English; linked from every page.</summary>
[Authorize(Policy = WebPolicies.Commissioner)]
public sealed class GlossaryModel : WebPageModel
{
    public IActionResult OnGet() => Page();
}
