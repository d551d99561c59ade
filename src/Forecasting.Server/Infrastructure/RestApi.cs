using Forecasting.Server.Security;
using Microsoft.OpenApi.Models;

namespace Forecasting.Server.Infrastructure;

/// <summary>
/// The REST/JSON face of the gRPC services: the routes come from the google.api.http options in the protos
/// (gRPC JSON transcoding runs the same service methods behind the same interceptors), and an OpenAPI document
/// describes them at <see cref="DocumentPath"/>.
/// </summary>
public static class RestApi
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";

    public static void AddOpenApiDocument(IServiceCollection services)
    {
        services.AddGrpcSwagger();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "Forecasting API",
                Version = DocumentName,
                Description = "Adult social care forecasting and planning: the read calls and scenario runs of the gRPC " +
                              "API as JSON over HTTP. Every call needs an API key in the x-api-key header.",
            });
            var scheme = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyInterceptor.HeaderName,
                Description = "An API key; its role decides which calls it may make.",
                Reference = new OpenApiReference { Type = ReferenceType.SecurityScheme, Id = "apiKey" },
            };
            // The proto comments, as XML docs of the generated code: operations from the rpc comments, schemas and
            // parameters from the message and field comments.
            var comments = Path.Combine(AppContext.BaseDirectory, "Forecasting.Contracts.xml");
            options.IncludeXmlComments(comments);
            options.IncludeGrpcXmlComments(comments, includeControllerXmlComments: true);
            // A field of a message or enum type is a $ref, beside which OpenAPI 3.0 ignores a description: wrapped in
            // allOf, it keeps its own.
            options.UseAllOfToExtendReferenceSchemas();
            options.AddSecurityDefinition("apiKey", scheme);
            options.AddSecurityRequirement(new OpenApiSecurityRequirement { [scheme] = [] });
        });
    }

    /// <summary>
    /// The document describes the contract, which is public (the protos), and no data: it needs no key, so a BI
    /// tool can read it before it is given one.
    /// </summary>
    public static void MapOpenApiDocument(WebApplication app) =>
        app.MapSwagger("/openapi/{documentName}.json").WithMetadata(HttpAccess.Public("the OpenAPI document: the contract, no data"));
}
