using Forecasting.Web.Dashboard;
using Forecasting.Web.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forecasting.Web.Pages;

/// <summary>What every signed-in page shares: the user, the council asked for and the data context the layout shows.</summary>
public abstract class WebPageModel : PageModel
{
    [BindProperty(SupportsGet = true, Name = "council")]
    public string? Council { get; set; }

    /// <summary>The council and snapshot of the page, shown in the header of every page.</summary>
    public DataContext? Data { get; protected set; }

    /// <summary>A message for the reader when the page cannot show its figures (no data, or a request it cannot answer).</summary>
    public string? Problem { get; protected set; }

    /// <summary>
    /// Set while a part of the page is still being computed in the background: the page says so in these words and reloads
    /// itself every two seconds (a meta refresh, no script) until it is complete.
    /// </summary>
    public string? Preparing { get; protected set; }

    public WebUser User2 => WebUser.From(User) ?? throw new InvalidOperationException("the page needs a signed-in user");

    /// <summary>Query string for links that keep the chosen council.</summary>
    public string CouncilQuery => Data is null ? "" : "?council=" + Uri.EscapeDataString(Data.CouncilCode);

    /// <summary>
    /// Runs a page's load. A council the key may not see is not found (as in the API); no data or a request the
    /// application refuses is shown as a plain message; anything else goes to the error page with a correlation id.
    /// </summary>
    protected async Task<IActionResult> Load(Func<Task> load)
    {
        try
        {
            await load();
            return Page();
        }
        catch (KeyNotFoundException)
        {
            return NotFound();
        }
        catch (NoCouncilException e)
        {
            Problem = $"There is nothing to show yet: {e.Message}. An analyst imports the council's data first.";
            return Page();
        }
        catch (Forecasting.Domain.InvalidArgumentException e)
        {
            Problem = e.Message;
            return Page();
        }
        catch (Forecasting.Store.Analytics.NoDataException e)
        {
            Problem = $"There is not enough data to answer this: {e.Message}.";
            return Page();
        }
    }
}
