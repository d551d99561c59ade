using System.Net.Http.Headers;
using System.Text;
using Forecasting.Web.Tests.Support;

namespace Forecasting.Web.Tests;

/// <summary>
/// A page upload's bytes go to the product's own upload staging directory, never to ASPNETCORE_*.tmp in the system temp
/// directory: an upload aborted mid-body leaves nothing behind, and what a killed server left is removed at start-up.
/// </summary>
[Trait("Category", "integration")]
public sealed class UploadResidueTests
{
    private const long Sent = 3 * 1024 * 1024;

    /// <summary>A body that sends <see cref="Sent"/> bytes of a marked file, waits for the test, then fails as a dropped connection does.</summary>
    private sealed class AbortedBody(byte[] line, TaskCompletionSource gate) : Stream
    {
        private long _position;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position >= Sent)
            {
                await gate.Task.WaitAsync(cancellationToken);
                throw new IOException("the connection was dropped mid-upload");
            }
            var count = (int)Math.Min(Math.Min(buffer.Length, line.Length), Sent - _position);
            line.AsMemory(0, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static IEnumerable<string> Files(string directory) =>
        Directory.Exists(directory) ? Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories) : [];

    private static bool Holds(string path, byte[] marker)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            return bytes.AsSpan().IndexOf(marker) >= 0;
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    [Fact]
    public async Task An_upload_aborted_mid_body_is_staged_in_the_upload_directory_only_and_leaves_nothing()
    {
        var staging = Path.Combine(RepoPaths.TempDirectory(), "uploads");
        var database = SampleDatabase.CopyTo(Path.Combine(RepoPaths.TempDirectory(), "server.duckdb"));
        await using var server = new SessionServer(database, new Dictionary<string, string?> { ["Limits:UploadDirectory"] = staging });
        var analyst = await server.SignedInAs(SampleServerFactory.AnalystKey);
        var token = WebFactory.Token(await analyst.GetStringAsync("/data/import"));

        var marker = Encoding.ASCII.GetBytes("marker-" + Guid.NewGuid().ToString("N"));
        var line = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(Encoding.ASCII.GetString(marker) + ",E06009999,2024-01-01\n", 200)));
        var systemTemp = Path.GetTempPath();
        var before = Directory.EnumerateFiles(systemTemp, "ASPNETCORE_*.tmp").ToHashSet();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        var file = new StreamContent(new AbortedBody(line, gate));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "files", "waiting_list.csv");
        using var drop = new CancellationTokenSource();
        var posting = analyst.PostAsync("/data/import", form, drop.Token);

        // Mid-body: the bytes received so far are in the staging directory, and in no ASPNETCORE_*.tmp of the system temp directory.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!Files(staging).Any(f => new FileInfo(f).Length >= Sent / 2 && Holds(f, marker)))
        {
            Assert.True(DateTime.UtcNow < deadline, "the upload never reached the staging directory");
            await Task.Delay(50);
        }
        var buffered = Directory.EnumerateFiles(systemTemp, "ASPNETCORE_*.tmp").Where(f => !before.Contains(f) && Holds(f, marker)).ToList();
        Assert.Empty(buffered);

        // The connection drops: the client stops sending and gives up on the request.
        gate.SetResult();
        await drop.CancelAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => posting);

        // Once the server has given up on the request, nothing of it is left anywhere.
        deadline = DateTime.UtcNow.AddSeconds(10);
        while (Directory.Exists(staging) && Directory.EnumerateFileSystemEntries(staging).Any())
        {
            Assert.True(DateTime.UtcNow < deadline, "left in staging: " + string.Join(", ", Directory.EnumerateFileSystemEntries(staging)));
            await Task.Delay(50);
        }
        Assert.DoesNotContain(Directory.EnumerateFiles(systemTemp, "ASPNETCORE_*.tmp"), f => !before.Contains(f) && Holds(f, marker));

        // The page still reads forms: a file naming no table is read, refused with the API's reason, and its staging goes too.
        var next = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        next.Add(new ByteArrayContent(Encoding.ASCII.GetBytes("a,b\n1,2\n")), "files", "clients.csv");
        var response = await analyst.PostAsync("/data/import", next);
        Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("unknown table", await response.Content.ReadAsStringAsync());
        deadline = DateTime.UtcNow.AddSeconds(10);
        while (Directory.EnumerateFileSystemEntries(staging).Any())
        {
            Assert.True(DateTime.UtcNow < deadline, "left in staging after a refused upload");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task What_a_killed_upload_left_in_the_staging_directory_is_removed_at_start_up()
    {
        var staging = Path.Combine(RepoPaths.TempDirectory(), "uploads");
        var left = Directory.CreateDirectory(Path.Combine(staging, "upload-" + Guid.NewGuid().ToString("N"))).FullName;
        await File.WriteAllTextAsync(Path.Combine(left, "form-000"), "council_code,client_id\nE06009999,personal data\n");
        await File.WriteAllTextAsync(left + ".lock", "");
        var database = SampleDatabase.CopyTo(Path.Combine(RepoPaths.TempDirectory(), "server.duckdb"));
        await using var server = new SessionServer(database, new Dictionary<string, string?> { ["Limits:UploadDirectory"] = staging });
        server.CreateClient().Dispose(); // starts the server
        Assert.False(Directory.Exists(left));
        Assert.False(File.Exists(left + ".lock"));
    }
}
