using System.Reflection;
using Forecasting.Web.Security;
using Forecasting.Web.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Forecasting.Web.Tests;

/// <summary>Fail closed: every routed page declares the role it needs, or that it is open (sign-in, errors).</summary>
[Trait("Category", "integration")]
public sealed class RoleDeclarationTests(WebFactory factory) : IClassFixture<WebFactory>
{
    private static readonly string[] OpenPages = ["/signin", "/denied", "/error", "/status/{code:int}"];

    [Fact]
    public async Task Every_page_route_declares_a_role_or_is_one_of_the_open_pages()
    {
        var sources = factory.Services.GetRequiredService<IEnumerable<EndpointDataSource>>();
        var loader = factory.Services.GetRequiredService<PageLoader>();
        var pages = sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Select(e => (Route: "/" + e.RoutePattern.RawText?.TrimStart('/'), Descriptor: e.Metadata.GetMetadata<PageActionDescriptor>()))
            .Where(p => p.Descriptor is not null).ToList();
        Assert.True(pages.Count >= 8, $"only {pages.Count} page routes found");
        var undeclared = new List<string>();
        foreach (var (route, descriptor) in pages)
        {
            var compiled = await loader.LoadAsync(descriptor!, EndpointMetadataCollection.Empty);
            var model = compiled.HandlerTypeInfo;
            var policies = model.GetCustomAttributes<AuthorizeAttribute>().Select(a => a.Policy).ToList();
            var open = model.GetCustomAttribute<AllowAnonymousAttribute>() is not null;
            if (open)
            {
                if (!OpenPages.Contains(route)) undeclared.Add($"{route} ({model.Name}) is open to anyone but is not a sign-in or error page");
            }
            else if (policies.Count == 0 || policies.Any(p => p is null || !WebPolicies.Roles.ContainsKey(p)))
            {
                undeclared.Add($"{route} ({model.Name}) declares no role policy");
            }
        }
        Assert.Empty(undeclared);
    }

    [Fact]
    public void Every_page_model_in_the_assembly_declares_a_role_or_is_open()
    {
        var models = typeof(WebExtensions).Assembly.GetTypes().Where(t => typeof(PageModel).IsAssignableFrom(t) && !t.IsAbstract).ToList();
        Assert.NotEmpty(models);
        Assert.All(models, t => Assert.True(
            t.GetCustomAttribute<AllowAnonymousAttribute>() is not null ||
            t.GetCustomAttributes<AuthorizeAttribute>().Any(a => a.Policy is not null && WebPolicies.Roles.ContainsKey(a.Policy)),
            $"{t.Name} declares no role"));
    }
}
