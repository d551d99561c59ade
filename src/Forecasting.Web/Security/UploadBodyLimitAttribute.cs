using Forecasting.Store.Import;
using Forecasting.Web.Dashboard;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Forecasting.Web.Security;

/// <summary>
/// Reads an upload page's multipart form itself, before the anti-forgery check reads the form: each file is streamed
/// straight into an upload staging directory (<see cref="UploadStaging"/>, under the host's upload root, which start-up
/// clears of directories no running upload holds), never into ASP.NET Core's <c>ASPNETCORE_*.tmp</c> buffers in the
/// system temp directory. The page sees an ordinary form whose files are the staged ones; the staging directory goes
/// when the request ends, whether it completed or was aborted mid-body. The form may carry as many bytes as the API's
/// Upload accepts (the host's limit); more is refused with 413.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class UploadBodyLimitAttribute : Attribute, IAsyncAuthorizationFilter, IOrderedFilter
{
    /// <summary>Room for the form's other fields and the multipart boundaries.</summary>
    private const long FormOverhead = 1024 * 1024;

    /// <summary>Most characters of one plain form field (the anti-forgery token, a check box).</summary>
    private const int MaxFieldLength = 64 * 1024;

    public int Order => -2000;

    public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        var http = context.HttpContext;
        var limits = http.RequestServices.GetRequiredService<WebUploadLimits>();
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limits.MaxUploadBytes + FormOverhead;
        var request = http.Request;
        if (!request.HasFormContentType || http.Features.Get<IFormFeature>()?.Form is not null) return;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 } boundary)
            return; // a form without files (url-encoded): read as usual
        try
        {
            http.Features.Set<IFormFeature>(new FormFeature(await Read(http, boundary, limits)));
        }
        catch (UploadTooLargeException)
        {
            context.Result = new StatusCodeResult(StatusCodes.Status413PayloadTooLarge);
        }
    }

    private static async Task<IFormCollection> Read(HttpContext http, string boundary, WebUploadLimits limits)
    {
        var ct = http.RequestAborted;
        var staging = UploadStaging.Create(limits.UploadDirectory ?? UploadStaging.DefaultRoot);
        http.Response.RegisterForDispose(staging);
        try
        {
            var reader = new MultipartReader(boundary, http.Request.Body) { BodyLengthLimit = limits.MaxUploadBytes + FormOverhead };
            var fields = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
            var files = new FormFileCollection();
            var remaining = limits.MaxUploadBytes;
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (disposition.IsFileDisposition())
                {
                    var path = Path.Combine(staging.Directory, $"form-{files.Count:D3}");
                    long length;
                    await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 81920, useAsync: true))
                        length = await CopyAtMost(section.Body, target, remaining, ct);
                    remaining -= length;
                    var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "";
                    files.Add(new StagedFormFile(path, length, name, fileName, section.ContentType ?? "application/octet-stream"));
                }
                else if (disposition.IsFormDisposition())
                {
                    using var text = new StreamReader(section.Body);
                    var buffer = new char[MaxFieldLength + 1];
                    var read = await text.ReadBlockAsync(buffer, ct);
                    if (read > MaxFieldLength) throw new UploadTooLargeException();
                    fields[name] = StringValues.Concat(fields.GetValueOrDefault(name), new string(buffer, 0, read));
                }
            }
            return new FormCollection(fields, files);
        }
        catch
        {
            // Aborted mid-body or refused: the partial files go now, not at the end of the request.
            staging.Dispose();
            throw;
        }
    }

    private static async Task<long> CopyAtMost(Stream source, Stream target, long most, CancellationToken ct)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, ct)) > 0)
        {
            total += read;
            if (total > most) throw new UploadTooLargeException();
            await target.WriteAsync(buffer.AsMemory(0, read), ct);
        }
        return total;
    }

    private sealed class UploadTooLargeException : Exception;
}

/// <summary>A file of a form, already in its upload staging directory.</summary>
public sealed class StagedFormFile(string path, long length, string name, string fileName, string contentType) : IFormFile
{
    /// <summary>Where the file waits; it goes with its staging directory when the request ends.</summary>
    public string StagedPath => path;

    public string ContentType => contentType;
    public string ContentDisposition => $"form-data; name=\"{name}\"; filename=\"{fileName}\"";
    public IHeaderDictionary Headers { get; } = new HeaderDictionary();
    public long Length => length;
    public string Name => name;
    public string FileName => fileName;

    public Stream OpenReadStream() => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);

    public void CopyTo(Stream target)
    {
        using var source = OpenReadStream();
        source.CopyTo(target);
    }

    public async Task CopyToAsync(Stream target, CancellationToken cancellationToken = default)
    {
        await using var source = OpenReadStream();
        await source.CopyToAsync(target, cancellationToken);
    }
}
