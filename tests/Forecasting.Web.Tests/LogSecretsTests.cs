using System.Collections.Concurrent;
using System.Net;
using Forecasting.Web.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Forecasting.Web.Tests;

/// <summary>Keys never reach the server's log: not from the sign-in form, the pages, gRPC or REST, right or wrong.</summary>
[Trait("Category", "integration")]
public sealed class LogSecretsTests : IAsyncLifetime
{
    private readonly CapturingFactory _factory = new();

    [Fact]
    public async Task No_key_appears_in_any_log_line_at_debug_level()
    {
        const string wrongKey = "not-a-key-0123456789";
        foreach (var key in new[] { WebFactory.Commissioner, WebFactory.StrategyLead, WebFactory.Analyst })
        {
            var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
            Assert.Equal(HttpStatusCode.Redirect, (await WebFactory.SignIn(client, key)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);

            var rest = _factory.CreateClient();
            rest.DefaultRequestHeaders.Add("x-api-key", key);
            Assert.Equal(HttpStatusCode.OK, (await rest.GetAsync("/v1/status")).StatusCode);
        }
        var wrong = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        Assert.NotEqual(HttpStatusCode.Redirect, (await WebFactory.SignIn(wrong, wrongKey)).StatusCode);
        var wrongRest = _factory.CreateClient();
        wrongRest.DefaultRequestHeaders.Add("x-api-key", wrongKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongRest.GetAsync("/v1/status")).StatusCode);

        var lines = _factory.Lines.ToList();
        Assert.True(lines.Count > 20, $"only {lines.Count} log lines were captured");
        foreach (var key in new[] { WebFactory.Commissioner, WebFactory.StrategyLead, WebFactory.Analyst, wrongKey })
            Assert.DoesNotContain(lines, line => line.Contains(key, StringComparison.Ordinal));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private sealed class CapturingFactory : SampleServerFactory
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        protected override IDictionary<string, string?> Settings()
        {
            var settings = base.Settings();
            settings["Logging:LogLevel:Default"] = "Debug";
            settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug";
            return settings;
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddLogging(logging => logging.AddProvider(new Capture(Lines))));
        }
    }

    private sealed class Capture(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);
        public void Dispose() { }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var text = $"{category} {formatter(state, exception)} {exception}";
                // Structured values too: a key could sit in a property the message template leaves out.
                if (state is IEnumerable<KeyValuePair<string, object?>> values)
                    text += " " + string.Join(" ", values.Select(v => $"{v.Key}={v.Value}"));
                lines.Enqueue(text);
            }
        }
    }
}
