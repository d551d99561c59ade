using Forecasting.Server.Infrastructure;
using Forecasting.Server.Security;

if (args is ["hash-key", var key, ..])
{
    Console.WriteLine(ApiKeyHasher.Hash(key));
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddApplicationServices();

var app = builder.Build();
app.MapApplicationEndpoints();
app.Run();

/// <summary>Entry point, visible to functional tests through WebApplicationFactory.</summary>
public partial class Program;
