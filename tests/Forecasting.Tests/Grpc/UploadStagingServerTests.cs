using Forecasting.Contracts.V1;
using Forecasting.Tests.Support;
using Google.Protobuf;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using static Forecasting.Tests.Support.ServerFactory;
using static Forecasting.TestSupport.SampleServerFactory;

namespace Forecasting.Tests.Grpc;

/// <summary>Uploads are staged under the configured root; the server removes what a killed upload left when it starts.</summary>
[Trait("Category", "integration")]
public sealed class UploadStagingServerTests
{
    [Fact]
    public async Task Start_up_removes_leftovers_and_an_upload_stages_under_the_root_and_cleans_up()
    {
        var root = RepoPaths.TempDirectory();
        // What a server killed mid-upload leaves: a directory with a partial file and an unheld lock.
        var leftover = Directory.CreateDirectory(Path.Combine(root, "upload-0123456789abcdef")).FullName;
        File.WriteAllText(Path.Combine(leftover, "000-contacts.csv"), "council_code,contact_id\n");
        File.WriteAllText(leftover + ".lock", "");

        using var baseFactory = new ServerFactory();
        using var factory = baseFactory.WithWebHostBuilder(b => b.ConfigureAppConfiguration((_, config) =>
            config.AddInMemoryCollection(new Dictionary<string, string?> { ["Limits:UploadDirectory"] = root })));
        var data = new DataService.DataServiceClient(global::Grpc.Net.Client.GrpcChannel.ForAddress(factory.Server.BaseAddress,
            new global::Grpc.Net.Client.GrpcChannelOptions { HttpHandler = factory.Server.CreateHandler() }));

        Assert.False(Directory.Exists(leftover));
        Assert.False(File.Exists(leftover + ".lock"));

        using var call = data.Upload(Key(AnalystKey));
        await call.RequestStream.WriteAsync(new UploadChunk { Header = new UploadHeader { FileName = "councils.csv", DryRun = true } });
        await call.RequestStream.WriteAsync(new UploadChunk { Data = ByteString.CopyFrom(File.ReadAllBytes(Path.Combine(RepoPaths.Samples, "councils.csv"))) });
        string? staged = null;
        for (var i = 0; i < 100 && staged is null; i++)
        {
            staged = Directory.EnumerateFiles(root, "*-councils.csv", SearchOption.AllDirectories).FirstOrDefault();
            if (staged is null) await Task.Delay(50);
        }
        Assert.NotNull(staged);
        // A start-up clean-up running now (another server on the same root) must leave the live upload alone.
        Assert.Equal(0, Forecasting.Store.Import.UploadStaging.CleanLeftovers(root));
        Assert.True(File.Exists(staged));

        await call.RequestStream.CompleteAsync();
        var report = await call;
        Assert.True(report.Succeeded, string.Join("; ", report.Issues));
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
    }
}
