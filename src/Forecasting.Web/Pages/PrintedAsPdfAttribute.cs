using System.Text;
using Forecasting.Web.Dashboard;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;

namespace Forecasting.Web.Pages;

/// <summary>A page that can also be sent as a PDF file: the file's name, or null when the page should stay a page (it shows a problem).</summary>
public interface IPrintablePage
{
    string? PdfFileName { get; }
}

/// <summary>
/// On a request for <see cref="Path"/>, the page is rendered as it would be served, then printed to PDF by
/// <see cref="ReportPrinter"/> and sent as a file. A page with a problem to show stays a page; when the printer is missing
/// or fails, the caller gets 503 with a plain message (the HTML page still prints from the browser).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class PrintedAsPdfAttribute(string path) : Attribute, IAsyncResultFilter
{
    public string Path { get; } = path;

    public async Task OnResultExecutionAsync(ResultExecutingContext context, ResultExecutionDelegate next)
    {
        var http = context.HttpContext;
        if (!http.Request.Path.Equals(Path, StringComparison.OrdinalIgnoreCase) || context.Result is not PageResult
            || context.Controller is not IPrintablePage { PdfFileName: { } fileName })
        {
            await next();
            return;
        }
        var response = http.Response;
        var original = response.Body;
        using var buffer = new MemoryStream();
        response.Body = buffer;
        try
        {
            await next();
        }
        finally
        {
            response.Body = original;
        }
        byte[] pdf;
        try
        {
            var printer = http.RequestServices.GetRequiredService<ReportPrinter>();
            pdf = await printer.Print(Encoding.UTF8.GetString(buffer.ToArray()), $"{http.Request.Scheme}://{http.Request.Host}/", http.RequestAborted);
        }
        catch (PrintUnavailableException e)
        {
            response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync($"The PDF cannot be made now: {e.Message}. The report page prints from the browser (Print, A4).", http.RequestAborted);
            return;
        }
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/pdf";
        response.ContentLength = pdf.Length;
        response.Headers.ContentDisposition = new System.Net.Mime.ContentDisposition { FileName = fileName }.ToString();
        await response.Body.WriteAsync(pdf, http.RequestAborted);
    }
}
