using Forecasting.Server.Infrastructure;
using Forecasting.Server.Security;

if (args is ["hash-key", var key, ..])
{
    Console.WriteLine(ApiKeyHasher.Hash(key));
    return 0;
}

var builder = WebApplication.CreateBuilder(StartupChecks.Options(args));
builder.AddApplicationServices();

var app = builder.Build();
if (StartupChecks.Refusal(app) is { } refusal)
{
    Console.Error.WriteLine(refusal);
    return 1;
}
app.MapApplicationEndpoints();
app.Run();
return 0;

/// <summary>Entry point, visible to functional tests through WebApplicationFactory.</summary>
public partial class Program;
