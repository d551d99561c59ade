using Forecasting.Store.Import;
using Forecasting.Web.Dashboard;
using Forecasting.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Forecasting.Web.Pages.Data;

/// <summary>
/// Uploads CSV or Parquet files and imports them as the API's Upload does: all files or nothing, with the same
/// validation report. Audited under Upload.
/// </summary>
[Authorize(Policy = WebPolicies.Analyst)]
[HeavyPage]
[UploadBodyLimit]
public sealed class ImportModel(DashboardService dashboard, WebImports imports, WebAudit audit) : WebPageModel
{
    [BindProperty]
    public bool DryRun { get; set; }

    [BindProperty]
    public bool AllowShrink { get; set; }

    /// <summary>The date the data run to, yyyy-mm-dd (the API's as_of_date); empty = the current snapshot's.</summary>
    [BindProperty]
    public string? AsOfDate { get; set; }

    public ImportReport? Report { get; private set; }

    /// <summary>Why the upload was refused before any file was read (the API's reason).</summary>
    public string? Refused { get; private set; }

    public long MaxUploadBytes => imports.MaxUploadBytes;

    public IActionResult OnGet()
    {
        ReadContext();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var user = User2;
        var files = Request.Form.Files.Where(f => f.Length > 0 || !string.IsNullOrEmpty(f.FileName))
            .Select(f => new UploadedFile(f.FileName, f.Length, f.OpenReadStream, (f as StagedFormFile)?.StagedPath)).ToList();
        try
        {
            Report = await audit.Write(user, WebAudit.Upload, null,
                () => imports.Upload(files, DryRun, AllowShrink, user.Councils, ct, AsOfDate),
                r => WebAudit.Targets(("import_id", r.ImportId), ("snapshot_id", r.SnapshotId)));
        }
        catch (Forecasting.Domain.InvalidArgumentException e)
        {
            Refused = e.Message;
        }
        ReadContext();
        if (Refused is not null || Report is { Succeeded: false }) Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    /// <summary>The data line of the page; an empty store has none yet, which is what an import is for.</summary>
    private void ReadContext()
    {
        try { Data = dashboard.Context(User2, Council); }
        catch (NoCouncilException) { Data = null; }
    }
}
