using Forecasting.Contracts.V1;
using Forecasting.Tests.Support;
using Grpc.Core;
using static Forecasting.Tests.Support.ServerFactory;
using static Forecasting.TestSupport.SampleServerFactory;

namespace Forecasting.Tests.Grpc;

/// <summary>Server-side import reads only the configured directories and never reveals what lies outside them.</summary>
[Trait("Category", "integration")]
public sealed class ImportPathTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private DataService.DataServiceClient Data => new(factory.Channel());

    private async Task<RpcException> Refused(ImportRequest request)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Data.ImportAsync(request, Key(AnalystKey)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        return error;
    }

    [Fact]
    public async Task Paths_outside_the_import_directories_are_refused_alike_whether_they_exist_or_not()
    {
        var existing = await Refused(new ImportRequest { Files = { new ImportFile { Table = "councils", Path = "/etc/hostname" } }, DryRun = true });
        var missing = await Refused(new ImportRequest { Files = { new ImportFile { Table = "councils", Path = "/etc/no-such-file-here" } }, DryRun = true });
        Assert.Equal(existing.Status.Detail.Replace("files[0]", ""), missing.Status.Detail.Replace("files[0]", ""));
        Assert.DoesNotContain("/etc", existing.Status.Detail);

        await Refused(new ImportRequest { Directory = "/etc", DryRun = true });
        await Refused(new ImportRequest { Directory = Path.Combine(RepoPaths.Samples, "..", "..", ".."), DryRun = true });
    }

    [Fact]
    public async Task A_symbolic_link_inside_an_import_directory_cannot_lead_out_of_it()
    {
        var dir = RepoPaths.TempDirectory();
        var link = Path.Combine(dir, "councils.csv");
        File.CreateSymbolicLink(link, "/etc/hostname");
        await Refused(new ImportRequest { Files = { new ImportFile { Table = "councils", Path = link } }, DryRun = true });
        var linkedDir = Path.Combine(dir, "etc");
        Directory.CreateSymbolicLink(linkedDir, "/etc");
        await Refused(new ImportRequest { Directory = linkedDir, DryRun = true });
    }

    [Fact]
    public async Task A_file_inside_is_imported_and_named_without_the_servers_directories()
    {
        var report = await Data.ImportAsync(new ImportRequest { Directory = RepoPaths.Bad("unknown_route"), DryRun = true }, Key(AnalystKey));
        Assert.False(report.Succeeded);
        Assert.All(report.Issues, i => Assert.DoesNotContain(RepoPaths.Root, i.File + i.Value + i.Reason));
    }
}
